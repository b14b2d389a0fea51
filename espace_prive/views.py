from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from espace_prive.billing import family_selectors as billing_selectors
from espace_prive.bookings import selectors as booking_selectors
from espace_prive.bookings.models import EnrolmentState
from espace_prive.demandes import selectors as request_selectors
from espace_prive.families import selectors as family_selectors
from espace_prive.families.models import Guardian
from espace_prive.home_news import news_for_family
from espace_prive.messaging import selectors as message_selectors


def _attention(family, guardians, children, pending_count, today):
    """What needs the family's attention, from facts only (no figure for parts not built)."""
    items = []
    if pending_count:
        items.append(
            {
                "text": f"{pending_count} demande{'s' if pending_count > 1 else ''} en attente "
                "de validation par le service.",
                "url": "espace_prive:demandes:list",
                "link": "Voir mes demandes",
            }
        )
    if family.quotient_familial is None:
        items.append(
            {
                "text": "Aucun quotient familial n'est enregistré : transmettez votre "
                "attestation CAF ou MSA.",
                "url": "espace_prive:families:account",
                "anchor": "family_caf",
                "link": "Compléter mon quotient familial",
            }
        )
    elif family.qf_valid_to and family.qf_valid_to < today:
        items.append(
            {
                "text": "Votre quotient familial n'est plus valable depuis le "
                f"{family.qf_valid_to:%d/%m/%Y} : transmettez votre nouvelle attestation.",
                "url": "espace_prive:families:account",
                "anchor": "family_caf",
                "link": "Mettre à jour mon quotient familial",
            }
        )
    primary = next((g for g in guardians if g.role == Guardian.Role.PRIMARY), None)
    if primary and not (primary.mobile_phone or primary.home_phone):
        items.append(
            {
                "text": "Aucun numéro de téléphone n'est enregistré pour vous joindre.",
                "url": "espace_prive:families:account",
                "link": "Ajouter un téléphone",
            }
        )
    for card in children:
        child = card["child"]
        if child.authorisations_missing:
            items.append(
                {
                    "text": f"Autorisations à compléter pour {child.first_name}.",
                    "child": child,
                    "anchor": "child_authorisations",
                    "link": f"Compléter les autorisations de {child.first_name}",
                }
            )
        if card["record"].pk is None:
            items.append(
                {
                    "text": f"Données sanitaires à compléter pour {child.first_name}.",
                    "child": child,
                    "anchor": "donnees-sanitaires",
                    "link": f"Compléter les données sanitaires de {child.first_name}",
                }
            )
    return items


@login_required
def home(request):
    """Home of the espace famille: the responsable, the children, what needs attention."""
    family = family_selectors.family_for_user(request.user)
    if family is None:
        return render(request, "families/no_family.html", status=403)
    request.family = family  # the navigation's unread count reads it
    today = timezone.localdate()
    guardians = list(family.guardians.all())
    cards = [
        {
            "child": child,
            "age": child.age_on(today),
            "record": family_selectors.health_record_for_child(child),
        }
        for child in family_selectors.children_for_family(family, pickup_persons=False)
    ]
    pending_count = request_selectors.pending_requests_for_family(family).count()
    children = [card["child"] for card in cards]
    unread_count = message_selectors.unread_count_for_family(family, request.user)
    enrolments = list(booking_selectors.current_enrolments_for_family(family, on=today))
    enrolled_services = sorted(
        {e.service_id for e in enrolments if e.state == EnrolmentState.ACCEPTED}
    )
    request._unread_messages_count = unread_count
    return render(
        request,
        "espace_prive/home.html",
        {
            "family": family,
            "guardians": guardians,
            "primary": next((g for g in guardians if g.role == Guardian.Role.PRIMARY), None),
            "viewer": next((g for g in guardians if g.user_id == request.user.pk), None),
            "cards": cards,
            "decisions": list(request_selectors.unseen_decisions_for_family(family)),
            "attention": _attention(family, guardians, cards, pending_count, today),
            "unread_count": unread_count,
            "missing_documents": booking_selectors.documents_to_provide(
                family, enrolments, on=today
            ),
            "news": news_for_family(family, children, service_ids=enrolled_services),
            "billing_accounts": billing_selectors.accounts(family, with_card=False),
            "unpaid_invoices": billing_selectors.unpaid_invoices(family),
        },
    )
