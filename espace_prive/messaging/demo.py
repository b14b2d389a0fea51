"""Demo messages: reply templates, two threads with unread answers for the Martins, and
a message to the families of the école Jules-Ferry; once the bookings demo has enrolled
the children (``seed_segments``), a message to the families of a service at one site for
the current school year, and one to the families of a class level."""

from espace_prive.catalogue.models import Site

from .models import Broadcast, ReplyTemplate, Thread
from .selectors import segment_preview
from .services import broadcast_deliver, message_post, thread_start

TEMPLATES = {
    "Horaires du service": "Bonjour,\n\nLe service Enfance-Jeunesse vous accueille du lundi "
    "au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h.\n\nBien cordialement,",
    "Pièce manquante": "Bonjour,\n\nIl manque une pièce à votre dossier : vous pouvez "
    "l'envoyer depuis « Mes documents » dans votre espace famille.\n\nBien cordialement,",
}
THREADS = [
    (
        "inscriptions",
        "Inscription de Léa aux mercredis",
        "Bonjour, Léa peut-elle encore être inscrite aux mercredis de l'accueil de loisirs ?",
        "Bonjour Madame Martin, oui : il reste des places. Répondez-nous avec les "
        "mercredis souhaités et nous l'inscrivons.",
    ),
    (
        "restauration",
        "Repas de Hugo le jour de la sortie",
        "Bonjour, Hugo part en sortie scolaire jeudi : faut-il annuler son repas ?",
        "Bonjour, le repas est remplacé par un pique-nique fourni par la cantine : vous n'avez "
        "rien à faire.",
    ),
]
BROADCAST_SUBJECT = "Fermeture exceptionnelle de l'accueil du soir"


def seed(demo):
    for title, body in TEMPLATES.items():
        ReplyTemplate.objects.update_or_create(title=title, defaults={"body": body})

    martin = demo.objects["families"]["martin"]
    family_user = demo.objects["family_user"]
    agent = demo.objects["agent_user"]
    for topic, subject, question, answer in THREADS:
        if Thread.objects.filter(family=martin, subject=subject).exists():
            continue
        thread = thread_start(
            actor=family_user, family=martin, subject=subject, topic=topic, body=question
        )
        message_post(actor=agent, thread=thread, body=answer)

    school = Site.objects.get(name="École élémentaire Jules-Ferry")
    broadcast, _created = Broadcast.objects.get_or_create(
        subject=BROADCAST_SUBJECT,
        defaults={
            "body": "Madame, Monsieur,\n\nEn raison d'une réunion des équipes, l'accueil du soir "
            "de l'école Jules-Ferry fermera exceptionnellement à 17 h 30 vendredi.\n\n"
            "Le service Enfance-Jeunesse",
            "school": school,
            "created_by": demo.objects["staff_user"],
        },
    )
    broadcast_deliver(broadcast.pk)  # idempotent: nothing more once delivered


SEGMENT_BROADCASTS = [
    (
        "Deux services de repas à la cantine des Tilleuls",
        "Madame, Monsieur,\n\nÀ la cantine de l'école Les Tilleuls, les petites sections "
        "déjeunent désormais au premier service, à 11 h 30, et les autres classes à 12 h 15. "
        "Les menus restent en ligne sur le site.\n\nLe service Restauration scolaire",
        {"service": "restauration-scolaire", "service_site": "École maternelle Les Tilleuls"},
    ),
    (
        "Réunion d'information pour les familles des CM1",
        "Madame, Monsieur,\n\nUne réunion présente la classe de découverte des CM1 le mardi "
        "à 18 h, salle du conseil de la mairie.\n\nLe service Enfance-Jeunesse",
        {"class_level": "CM1"},
    ),
]


def seed_segments(demo):
    """The broadcasts whose segment needs the enrolments of the bookings demo: the canteen
    of the Tilleuls for the current school year, and the CM1 class level."""
    services = demo.objects["services"]
    sites = demo.objects["sites"]
    for subject, body, segment in SEGMENT_BROADCASTS:
        criteria = {"class_level": segment.get("class_level", "")}
        if "service" in segment:
            criteria |= {
                "service": services[segment["service"]],
                "service_site": sites[segment["service_site"]],
                "school_year": demo.objects["bookings_year"],
            }
        broadcast, _created = Broadcast.objects.get_or_create(
            subject=subject,
            defaults={
                "body": body,
                "families_count": segment_preview(**criteria)["families"],
                "created_by": demo.objects["staff_user"],
                **criteria,
            },
        )
        broadcast_deliver(broadcast.pk)  # idempotent: nothing more once delivered
