from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Regie
from .services.card import WebhookRejected, webhook_handle


@csrf_exempt
@require_POST
def stripe_webhook(request, regie_id):
    """Stripe's webhook for one régie (each régie has its own signing secret)."""
    regie = get_object_or_404(Regie, public_id=regie_id)
    try:
        outcome = webhook_handle(
            regie=regie,
            payload=request.body,
            signature=request.headers.get("Stripe-Signature"),
        )
    except WebhookRejected:
        return HttpResponseBadRequest("signature invalide", content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain; charset=utf-8")
