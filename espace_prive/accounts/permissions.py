"""The accounts app's permissions, each named once (the codenames are declared in the
models' ``Meta.permissions``)."""

MANAGE_INVITATIONS = "accounts.manage_invitations"
REVIEW_REGISTRATIONS = "accounts.review_registration"
VIEW_AUDIT = "accounts.view_auditevent"

# Granted to groups in Wagtail's group editor.
GRANTABLE = (MANAGE_INVITATIONS, REVIEW_REGISTRATIONS, VIEW_AUDIT)
