"""Permissions of the messaging, each named once (the extra codenames are declared in
``Thread.Meta.permissions``)."""

VIEW_THREAD = "messaging.view_thread"
REPLY_THREAD = "messaging.reply_thread"
VIEW_ALL_THREADS = "messaging.view_all_threads"
SEND_BROADCAST = "messaging.send_broadcast"

# Granted to groups in Wagtail's group editor (with the reference data's own).
GRANTABLE = (
    VIEW_THREAD,
    REPLY_THREAD,
    VIEW_ALL_THREADS,
    SEND_BROADCAST,
    *(
        f"messaging.{action}_{model}"
        for model in ("replytemplate", "topicroute")
        for action in ("add", "change", "view")
    ),
)
