"""Demo service pages (one per service of the demo catalogue)."""

from ..models import ServiceIndexPage, ServicePage
from .common import child, demo_document, heading, p, paragraph

SERVICE_PAGES = {
    "periscolaire": {
        "body": [
            paragraph(
                "L'accueil périscolaire reçoit les enfants scolarisés à Belval avant et après "
                "la classe, dans leur école. Les animateurs proposent des activités calmes le "
                "matin, un goûter et des ateliers le soir.",
            ),
            heading("Ce qu'il faut prévoir"),
            paragraph("Une tenue adaptée aux jeux d'extérieur et, pour les petits, un doudou."),
        ],
        "hours": p("Matin : 7 h 30 – 8 h 20.", "Soir : 16 h 30 – 18 h 30."),
        "deadlines": p(
            "Réservez ou annulez au plus tard <b>deux jours avant, avant 10 h</b>. Une "
            "absence non prévenue est facturée, sauf certificat médical."
        ),
    },
    "restauration-scolaire": {
        "body": [
            paragraph(
                "Les repas sont préparés par la cuisine centrale et servis dans chaque école. "
                "Les menus sont publiés chaque semaine avec les allergènes.",
            ),
            heading("Allergies et régimes"),
            paragraph(
                "Un enfant allergique est accueilli avec un projet d'accueil individualisé "
                "(PAI). Des repas sans porc et végétariens sont proposés sur demande."
            ),
        ],
        "hours": p("Service de 11 h 45 à 13 h 30, les lundis, mardis, jeudis et vendredis."),
        "deadlines": p(
            "Réservez ou annulez un repas jusqu'au <b>jeudi midi</b> pour la semaine suivante."
        ),
    },
    "accueil-de-loisirs": {
        "body": [
            paragraph(
                "L'accueil de loisirs Le Moulin accueille les enfants de 3 à 11 ans les "
                "mercredis et pendant les vacances scolaires, à la journée, repas compris.",
            )
        ],
        "hours": p("Accueil de 7 h 30 à 9 h, départ de 17 h à 18 h 30."),
        "deadlines": p(
            "Mercredis : réservation jusqu'au lundi précédent. Vacances : jusqu'à dix jours "
            "avant le début de la session."
        ),
    },
    "ecole-des-sports": {
        "body": [
            paragraph(
                "Un cycle de sports différents à chaque période, encadré par des éducateurs "
                "diplômés."
            )
        ],
        "hours": p("Mercredi : 9 h – 10 h 30 (6–8 ans), 10 h 30 – 12 h (9–11 ans)."),
        "deadlines": p("Inscription à l'année, avant le 30 septembre."),
    },
    "espace-jeunes": {
        "body": [paragraph("Accueil libre, projets, sorties et séjours pour les 11–17 ans.")],
        "hours": p("Mardi au vendredi : 16 h – 19 h ; mercredi et samedi : 14 h – 19 h."),
        "deadlines": p("Adhésion annuelle ; les sorties se réservent une semaine à l'avance."),
    },
    "tickets-sports": {
        "body": [paragraph("Une semaine de stage multisports pendant les petites vacances.")],
        "hours": p("Du lundi au vendredi, 14 h – 17 h."),
        "deadlines": p("Inscription jusqu'à dix jours avant la semaine choisie."),
    },
}

CONTACT_SEJ = {
    "type": "contact",
    "value": {
        "name": "Service Enfance-Jeunesse-Éducation",
        "role": "Inscriptions, facturation, questions",
        "phone": "01 23 45 67 00",
        "email": "enfance@belval.example",
        "hours": "du lundi au vendredi, 8 h 30 – 12 h et 13 h 30 – 17 h",
    },
}


def services(home, demo):
    index = child(
        home,
        ServiceIndexPage,
        "services",
        title="Services",
        intro=p("Les accueils et activités proposés aux enfants et aux jeunes de Belval."),
        show_in_menus=True,
    )
    for slug, service in demo.objects["services"].items():
        content = SERVICE_PAGES[slug]
        reglement = demo_document(
            f"Règlement de fonctionnement — {service.name}",
            [
                f"Ville de Belval — {service.name}",
                "Article 1 : inscription annuelle dans l'espace famille.",
                "Article 2 : réservations et annulations dans les délais indiqués.",
                "Article 3 : facturation mensuelle selon le quotient familial.",
            ],
        )
        child(
            index,
            ServicePage,
            slug,
            title=service.name,
            service=service,
            intro=service.summary,
            body=content["body"],
            rules_document=reglement,
            hours=content["hours"],
            booking_deadlines=content["deadlines"],
            contacts=[CONTACT_SEJ],
        )
    return index
