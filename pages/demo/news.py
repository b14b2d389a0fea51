"""Demo news and their categories."""

import datetime

from ..models import NewsCategory, NewsIndexPage, NewsPage
from .common import child, demo_image, heading, p, paragraph


def news_items():
    """The demo news, read when seeding (what they promise depends on the features)."""
    return [
        (
            "cantine-produits-locaux",
            "Plus de produits locaux à la cantine",
            datetime.date(2026, 11, 16),
            "Depuis la rentrée, la moitié des légumes servis dans les restaurants scolaires "
            "viennent de maraîchers situés à moins de 50 km.",
            ["restauration"],
            ["restauration-scolaire"],
            "vert",
            [
                paragraph(
                    "La cuisine centrale travaille désormais avec trois maraîchers de la vallée. "
                    "Carottes, poireaux et pommes arrivent le matin même de leur préparation.",
                    "Les menus signalent ces produits avec le label « local ».",
                ),
                heading("Et le bio ?"),
                paragraph("Un repas végétarien est proposé chaque semaine, avec du pain bio."),
            ],
        ),
        (
            "greve-education-nationale",
            "Mouvement de grève : service minimum d'accueil",
            datetime.date(2026, 11, 9),
            "En cas de grève dans les écoles, la ville organise un service minimum d'accueil "
            "pour les enfants dont l'enseignant est absent.",
            ["vie-scolaire"],
            ["periscolaire", "restauration-scolaire"],
            "rouge",
            [
                paragraph(
                    "Le service minimum d'accueil est assuré à l'école élémentaire Jules-Ferry de "
                    "8 h 30 à 16 h 30. La cantine fonctionne normalement.",
                ),
                {
                    "type": "callout",
                    "value": {
                        "title": "Prévenir le service",
                        "text": p("Signalez la présence de votre enfant la veille avant midi."),
                        "kind": "warning",
                    },
                },
            ],
        ),
        (
            "vacances-hiver-loisirs",
            "Vacances d'hiver : le programme de l'accueil de loisirs",
            datetime.date(2026, 11, 2),
            "Grands jeux, sorties à la patinoire et atelier cuisine : découvrez le programme "
            "des vacances à l'accueil de loisirs Le Moulin.",
            ["loisirs"],
            ["accueil-de-loisirs"],
            "orange",
            [
                paragraph(
                    "Les inscriptions se font à la journée auprès du service "
                    "Enfance-Jeunesse, ou par la messagerie de l'espace famille."
                )
            ],
        ),
        (
            "ecole-des-sports-rentree",
            "L'école municipale des sports fait sa rentrée",
            datetime.date(2026, 10, 12),
            "Basket, escalade, athlétisme : les enfants de 6 à 11 ans découvrent un nouveau "
            "sport à chaque période.",
            ["loisirs"],
            ["ecole-des-sports"],
            "violet",
            [paragraph("Les séances ont lieu le mercredi au gymnase Pierre-de-Coubertin.")],
        ),
        (
            "portail-famille-ouverture",
            "Le portail famille est ouvert",
            datetime.date(2026, 9, 1),
            "Dossier de la famille, fiches des enfants, justificatifs et messages au "
            "service : vos démarches se font désormais en ligne, à toute heure.",
            ["vie-scolaire"],
            [],
            "bleu",
            [
                paragraph(
                    "Votre code d'accès vous a été envoyé par courrier. Suivez le tutoriel "
                    "« Créer mon compte » pour vous connecter la première fois.",
                )
            ],
        ),
    ]


CATEGORIES = [
    ("restauration", "Restauration scolaire"),
    ("vie-scolaire", "Vie scolaire"),
    ("loisirs", "Loisirs"),
]


def news(home, demo):
    index = child(
        home,
        NewsIndexPage,
        "actualites",
        title="Actualités",
        intro=p("Les nouvelles des écoles, de la cantine et des accueils de la ville."),
        show_in_menus=True,
    )
    categories = {}
    for slug, name in CATEGORIES:
        categories[slug], _ = NewsCategory.objects.update_or_create(
            slug=slug, defaults={"name": name}
        )
    services = demo.objects.get("services", {})
    sites = demo.objects.get("sites", {})
    for slug, title, date, intro, category_slugs, service_slugs, color, body in news_items():
        image = demo_image(f"Actualité — {title}", alt="", color=color)
        child(
            index,
            NewsPage,
            slug,
            title=title,
            date=date,
            intro=intro,
            image=image,
            body=body,
            categories=[categories[c] for c in category_slugs],
            target_services=[services[s] for s in service_slugs if s in services],
            target_sites=[
                sites[name]
                for name in ("École élémentaire Jules-Ferry",)
                if name in sites and slug == "greve-education-nationale"
            ],
        )
    return index
