"""Demo tutorials, documents, practical information, FAQ, content pages and settings."""

from wagtail.documents import get_document_model
from wagtail.models import Site

from cms.demo import DEMO_TOWN_NAME
from espace_prive.help_pages import BOOKING_TUTORIAL

from ..models import (
    ContentPage,
    DocumentsPage,
    FaqPage,
    PracticalInfoPage,
    SiteSettings,
    TutorialIndexPage,
    TutorialPage,
)
from .common import child, demo_document, demo_image, heading, p, paragraph
from .services import CONTACT_SEJ


def tutorials(home):
    index = child(
        home,
        TutorialIndexPage,
        "tutoriels",
        title="Tutoriels",
        intro=p("Pas à pas, les démarches de l'espace famille."),
    )
    steps_account = [
        (
            "Ouvrir l'espace famille",
            "Cliquez sur « Espace famille » en haut de chaque page.",
            "bleu",
        ),
        (
            "Saisir votre code d'accès",
            "Entrez l'adresse e-mail et le code reçus par courrier.",
            "vert",
        ),
        ("Choisir un mot de passe", "Au moins 12 caractères ; notez-le en lieu sûr.", "orange"),
    ]
    steps_document = [
        (
            "Ouvrir « Envoyer un document »",
            "Sur l'accueil de l'espace famille, sous « Pièces à fournir ».",
            "violet",
        ),
        (
            "Choisir le document et le fichier",
            "Choisissez le type de document, joignez un PDF ou une photo, puis envoyez.",
            "bleu",
        ),
    ]
    steps_booking = [
        (
            "Ouvrir l'agenda de l'enfant",
            "Dans « Mes enfants », choisissez « Agenda » : chaque jour indique s'il est "
            "réservé, disponible, complet, fermé ou si le délai est passé.",
            "violet",
        ),
        (
            "Réserver un jour ou des jours réguliers",
            "Touchez « Réserver » sur un jour, ou « Réserver des jours réguliers » : cochez les "
            "jours de la semaine et la période, lisez le coût total, puis confirmez.",
            "bleu",
        ),
        (
            "Annuler avant le délai",
            "Touchez « Annuler » sur un jour réservé, avant la date limite du service "
            "(par exemple deux jours ouvrés avant, à 10 h).",
            "vert",
        ),
        (
            "Déclarer une absence",
            "Après le délai, ou pour plusieurs jours, choisissez « Déclarer une absence », "
            "indiquez le motif et joignez le certificat médical si votre enfant est malade.",
            "orange",
        ),
    ]
    for slug, title, intro, steps in (
        ("creer-mon-compte", "Créer mon compte", "Se connecter la première fois.", steps_account),
        (
            BOOKING_TUTORIAL,
            "Réserver et annuler",
            "Réserver la cantine ou l'accueil, annuler un jour, déclarer une absence.",
            steps_booking,
        ),
        (
            "envoyer-un-document",
            "Envoyer un justificatif",
            "Déposer une attestation CAF ou un justificatif de domicile.",
            steps_document,
        ),
    ):
        blocks = []
        for number, (step_title, text, color) in enumerate(steps, start=1):
            image = demo_image(
                f"Tutoriel {title} — étape {number}",
                alt=f"Capture d'écran : {step_title.lower()}",
                color=color,
                label=f"Etape {number} : {step_title}",
            )
            blocks.append(
                {
                    "type": "step",
                    "value": {
                        "title": step_title,
                        "text": p(text),
                        "image": {"image": image.pk, "decorative": False, "alt_text": ""},
                    },
                }
            )
        child(index, TutorialPage, slug, title=title, intro=intro, steps=blocks)
    return index


def documents(home):
    fiche = demo_document(
        "Fiche de renseignements",
        [
            "Nom et prénom de l'enfant : ____________",
            "Responsables légaux : ____________",
            "Personnes autorisées à venir chercher l'enfant : ____________",
        ],
    )
    sanitaire = demo_document(
        "Fiche sanitaire de liaison",
        [
            "Vaccinations : ____________",
            "Allergies : ____________",
            "Médecin traitant : ____________",
        ],
    )
    prelevement = demo_document(
        "Mandat de prélèvement SEPA",
        ["Titulaire du compte : ____________", "IBAN : ____________", "Date et signature :"],
    )
    reglements = list(
        get_document_model()
        .objects.filter(title__startswith="Règlement de fonctionnement")
        .order_by("title")
    )

    def item(document, description=""):
        return {"document": document.pk, "title": "", "description": description}

    sections = [
        {
            "type": "section",
            "value": {
                "title": "Formulaires d'inscription",
                "intro": "À remplir une fois par an, ou à mettre à jour dans l'espace famille.",
                "documents": [
                    item(fiche, "Pour chaque enfant."),
                    item(sanitaire, "Informations médicales en cas d'urgence."),
                ],
            },
        },
        {
            "type": "section",
            "value": {
                "title": "Paiement",
                "intro": "",
                "documents": [item(prelevement, "Pour payer vos factures par prélèvement.")],
            },
        },
        {
            "type": "section",
            "value": {
                "title": "Règlements des services",
                "intro": "",
                "documents": [item(document) for document in reglements],
            },
        },
    ]
    return child(
        home,
        DocumentsPage,
        "documents-utiles",
        title="Documents utiles",
        intro=p("Les formulaires et règlements à télécharger."),
        sections=sections,
    )


def practical_info(home):
    return child(
        home,
        PracticalInfoPage,
        "infos-pratiques",
        title="Infos pratiques",
        intro=p("Adresses, horaires et contacts des écoles et des lieux d'accueil."),
        body=[CONTACT_SEJ],
        show_in_menus=True,
    )


def faq(home):
    def question(text, answer):
        return {"question": text, "answer": p(answer)}

    sections = [
        {
            "type": "section",
            "value": {
                "title": "Espace famille",
                "questions": [
                    question(
                        "J'ai perdu mon mot de passe, que faire ?",
                        "Cliquez sur « Mot de passe oublié » sur la page de connexion : un "
                        "lien vous est envoyé par e-mail.",
                    ),
                    question(
                        "Comment mettre à jour mon quotient familial ?",
                        "Déposez votre attestation CAF ou MSA dans l'espace famille ; le "
                        "service la valide sous quelques jours.",
                    ),
                ],
            },
        },
        {
            "type": "section",
            "value": {
                "title": "Cantine",
                "questions": [
                    question(
                        "Mon enfant a une allergie alimentaire.",
                        "Un projet d'accueil individualisé (PAI) est établi avec le médecin "
                        "scolaire ; les menus indiquent les 14 allergènes majeurs.",
                    ),
                    question(
                        "Jusqu'à quand puis-je annuler un repas ?",
                        "Jusqu'au jeudi midi pour la semaine suivante.",
                    ),
                ],
            },
        },
    ]
    return child(
        home,
        FaqPage,
        "questions-frequentes",
        title="Questions fréquentes",
        intro=p("Les réponses aux questions que les familles nous posent le plus souvent."),
        sections=sections,
    )


def content_pages(home):
    accessibility = child(
        home,
        ContentPage,
        "accessibilite",
        title="Accessibilité",
        intro="Déclaration d'accessibilité du portail famille de la ville de Belval.",
        body=[
            paragraph(
                "La ville de Belval s'engage à rendre son portail accessible conformément à "
                "l'article 47 de la loi n° 2005-102 du 11 février 2005.",
            ),
            heading("État de conformité"),
            paragraph(
                "Chaque type de page est vérifié automatiquement avec axe-core dans un "
                "navigateur. Un audit RGAA complet reste à réaliser.",
            ),
            heading("Signaler un problème"),
            paragraph(
                "Écrivez à accessibilite@belval.example : nous vous répondrons et vous "
                "transmettrons l'information sous une forme accessible.",
            ),
        ],
    )
    legal = child(
        home,
        ContentPage,
        "mentions-legales",
        title="Mentions légales",
        intro="Éditeur, hébergement et données personnelles.",
        body=[
            heading("Éditeur"),
            paragraph("Ville de Belval, 1 place de la République, 45000 Belval."),
            heading("Données personnelles"),
            paragraph(
                "Les données de l'espace famille servent uniquement à la gestion des "
                "services à l'enfance. Vous pouvez en obtenir une copie depuis votre espace.",
            ),
        ],
    )
    return accessibility, legal


def site_settings(home, pages, logo):
    site = Site.objects.get(root_page=home)
    settings = SiteSettings.for_site(site)
    if settings.town_name:
        return settings

    def link(label, page):
        return {"type": "link", "value": {"label": label, "page": page.pk, "url": ""}}

    settings.town_name = DEMO_TOWN_NAME
    settings.logo = logo
    settings.address = "Mairie de Belval\n1 place de la République\n45000 Belval"
    settings.phone = "01 23 45 67 00"
    settings.email = "enfance@belval.example"
    settings.opening_hours = "Accueil du lundi au vendredi, 8 h 30 – 12 h et 13 h 30 – 17 h"
    settings.main_navigation = [
        link("Actualités", pages["news"]),
        link("Menus", pages["menus"]),
        link("Services", pages["services"]),
        link("Tarifs", pages["tariffs"]),
        link("Infos pratiques", pages["practical"]),
    ]
    settings.footer_links = [
        link("Documents utiles", pages["documents"]),
        link("Tutoriels", pages["tutorials"]),
        link("Questions fréquentes", pages["faq"]),
        link("Recherche", pages["search"]),
        link("Accessibilité", pages["accessibility"]),
        link("Mentions légales", pages["legal"]),
    ]
    settings.footer_text = "Portail Famille, logiciel libre pour les communes."
    settings.save()
    return settings
