"""The requests' permissions, each named once (the extra codename is declared in
``ChangeRequest.Meta.permissions``)."""

VIEW_REQUESTS = "demandes.view_changerequest"
DECIDE_REQUESTS = "demandes.decide_changerequest"

# Granted to groups in Wagtail's group editor.
GRANTABLE = (VIEW_REQUESTS, DECIDE_REQUESTS)
