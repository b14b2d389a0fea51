"""Permissions of the messaging, each named once."""

VIEW_THREAD = "messaging.view_thread"
REPLY_THREAD = "messaging.reply_thread"
VIEW_ALL_THREADS = "messaging.view_all_threads"
SEND_BROADCAST = "messaging.send_broadcast"
