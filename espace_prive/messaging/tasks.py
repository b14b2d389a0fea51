"""Background work of the messaging (django.tasks)."""

from django.tasks import task


@task
def deliver_broadcast(broadcast_id):
    """Deliver a message to many families; safe to run again (see broadcast_deliver)."""
    from .services import broadcast_deliver

    return broadcast_deliver(broadcast_id)
