"""The demo town's public site: every page type with French content.

Idempotent: a page is created when missing (found by its slug under its parent) and
left alone otherwise, so editors' changes survive a new ``seed_demo``. Deterministic:
fixed texts, pictures drawn with Pillow, one-page PDFs; only the canteen weeks depend on
today (last week, this week and next week always exist).
"""

import datetime
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.demo import DEMO_TOWN_NAME

from . import demo_assets
from .images import ALL as ALL_RENDITIONS
from .models import (
    Allergen,
    ContentPage,
    Course,
    DishLabel,
    DocumentsPage,
    FaqPage,
    HomePage,
    MenuDish,
    MenusIndexPage,
    MenuWeekPage,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    PracticalInfoPage,
    SearchPage,
    ServiceIndexPage,
    ServicePage,
    SiteSettings,
    TariffsPage,
    TutorialIndexPage,
    TutorialPage,
)
from .weeks import iso_week_code, monday_of, week_label

HOME_INTRO = (
    "<p>Bienvenue sur le portail famille de la ville de Belval : menus des restaurants "
    "scolaires, accueils périscolaires et de loisirs, tarifs et démarches en ligne.</p>"
)


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _paragraph(*paragraphs):
    return {"type": "paragraph", "value": _p(*paragraphs)}


def _heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


# --- Files ------------------------------------------------------------------------------


def _image(title, *, alt, color="bleu", label="", data=None):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        data = data or demo_assets.picture(label, color=color)
        slug = slugify(title)[:60]
        image = Image(
            title=title,
            description=alt,
            file=ImageFile(io.BytesIO(data), name=f"demo-{slug}.png"),
            file_size=len(data),
        )
        image.save()
    return image


def _document(title, lines):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        slug = slugify(title)[:60]
        data = demo_assets.pdf(title, lines)
        document = Document(title=title, file_size=len(data))
        document.file.save(f"demo-{slug}.pdf", ContentFile(data), save=False)
        document.save()
    return document


# --- Pages ------------------------------------------------------------------------------


def _child(parent, model, slug, **fields):
    """The live child ``slug`` of ``parent``, created and published when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    dishes = fields.pop("dishes", None)
    m2m = {
        name: fields.pop(name)
        for name in ("categories", "target_services", "target_sites")
        if name in fields
    }
    page = model(slug=slug, **fields)
    if dishes is not None:
        page.dishes = dishes
    for name, values in m2m.items():
        setattr(page, name, values)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed_home(demo):
    """Only the demo town's home page and site (what the site chrome needs)."""
    return _home(demo)


def _home(demo):
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title=DEMO_TOWN_NAME,
            slug="accueil",
            intro=HOME_INTRO,
            alert_title="Inscriptions à l'accueil de loisirs",
            alert_message="Les inscriptions pour les prochaines vacances sont ouvertes dans "
            "l'espace famille jusqu'à dix jours avant le début des vacances.",
            alert_level="info",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname = "localhost"
    site.port = 80
    site.site_name = DEMO_TOWN_NAME
    site.root_page = home
    site.save()
    # Wagtail's installation creates a "Welcome" page; the demo town replaces it.
    Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    ).delete()
    demo.objects["home_page"] = home
    return home


NEWS = [
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
            _paragraph(
                "La cuisine centrale travaille désormais avec trois maraîchers de la vallée. "
                "Carottes, poireaux et pommes arrivent le matin même de leur préparation.",
                "Les menus signalent ces produits avec le label « local ».",
            ),
            _heading("Et le bio ?"),
            _paragraph("Un repas végétarien est proposé chaque semaine, avec du pain bio."),
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
            _paragraph(
                "Le service minimum d'accueil est assuré à l'école élémentaire Jules-Ferry de "
                "8 h 30 à 16 h 30. La cantine fonctionne normalement.",
            ),
            {
                "type": "callout",
                "value": {
                    "title": "Prévenir le service",
                    "text": _p("Signalez la présence de votre enfant la veille avant midi."),
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
        [_paragraph("Les inscriptions se font dans l'espace famille, à la journée.")],
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
        [_paragraph("Les séances ont lieu le mercredi au gymnase Pierre-de-Coubertin.")],
    ),
    (
        "portail-famille-ouverture",
        "Le portail famille est ouvert",
        datetime.date(2026, 9, 1),
        "Inscriptions, réservations, absences et paiement des factures : toutes vos "
        "démarches se font désormais en ligne, à toute heure.",
        ["vie-scolaire"],
        [],
        "bleu",
        [
            _paragraph(
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


def _news(home, demo):
    index = _child(
        home,
        NewsIndexPage,
        "actualites",
        title="Actualités",
        intro=_p("Les nouvelles des écoles, de la cantine et des accueils de la ville."),
        show_in_menus=True,
    )
    categories = {}
    for slug, name in CATEGORIES:
        categories[slug], _ = NewsCategory.objects.update_or_create(
            slug=slug, defaults={"name": name}
        )
    services = demo.objects.get("services", {})
    sites = demo.objects.get("sites", {})
    for slug, title, date, intro, category_slugs, service_slugs, color, body in NEWS:
        image = _image(f"Actualité — {title}", alt="", color=color)
        _child(
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


# --- Menus ------------------------------------------------------------------------------

L = DishLabel
A = Allergen
# Three weeks of menus, used in turn by ISO week number; (day, course, name, labels, allergens).
MENU_ROTATION = [
    {
        1: [
            ("starter", "Carottes râpées vinaigrette", [L.ORGANIC, L.LOCAL], [A.MUSTARD]),
            ("main", "Poulet rôti", [L.LOCAL], []),
            ("side", "Haricots verts", [], []),
            ("dairy", "Emmental", [], [A.MILK]),
            ("dessert", "Pomme", [L.ORGANIC, L.LOCAL], []),
            ("snack", "Pain et chocolat", [], [A.GLUTEN, A.MILK, A.SOY]),
        ],
        2: [
            ("starter", "Potage de légumes", [L.HOMEMADE], [A.CELERY]),
            (
                "main",
                "Lasagnes aux légumes",
                [L.VEGETARIAN, L.HOMEMADE],
                [A.GLUTEN, A.MILK, A.EGGS],
            ),
            ("side", "Salade verte", [L.LOCAL], []),
            ("dairy", "Yaourt nature", [L.ORGANIC], [A.MILK]),
            ("dessert", "Compote de poires", [L.HOMEMADE], []),
            ("snack", "Gâteau au yaourt", [L.HOMEMADE], [A.GLUTEN, A.MILK, A.EGGS]),
        ],
        3: [
            ("starter", "Betteraves", [L.LOCAL], []),
            ("main", "Poisson pané", [], [A.FISH, A.GLUTEN]),
            ("side", "Riz pilaf", [L.ORGANIC], []),
            ("dairy", "Fromage blanc", [], [A.MILK]),
            ("dessert", "Clémentines", [], []),
            ("snack", "Pain et confiture", [], [A.GLUTEN]),
        ],
        4: [
            ("starter", "Salade de lentilles", [L.ORGANIC], [A.MUSTARD]),
            ("main", "Bœuf bourguignon", [L.LOCAL, L.HOMEMADE], [A.SULPHITES]),
            ("side", "Pommes vapeur", [L.LOCAL], []),
            ("dairy", "Camembert", [], [A.MILK]),
            ("dessert", "Crème dessert vanille", [], [A.MILK]),
            ("snack", "Fruit de saison", [], []),
        ],
        5: [
            ("starter", "Céleri rémoulade", [], [A.CELERY, A.EGGS, A.MUSTARD]),
            ("main", "Omelette aux fines herbes", [L.VEGETARIAN, L.ORGANIC], [A.EGGS]),
            ("side", "Ratatouille", [L.HOMEMADE], []),
            ("dairy", "Petit-suisse", [], [A.MILK]),
            ("dessert", "Tarte aux pommes", [L.HOMEMADE], [A.GLUTEN, A.EGGS, A.MILK]),
            ("snack", "Brioche", [], [A.GLUTEN, A.EGGS, A.MILK]),
        ],
    },
    {
        1: [
            ("starter", "Concombres à la crème", [L.LOCAL], [A.MILK]),
            ("main", "Sauté de porc au caramel", [], [A.SOY]),
            ("side", "Semoule", [], [A.GLUTEN]),
            ("dairy", "Tomme", [L.LOCAL], [A.MILK]),
            ("dessert", "Banane", [L.ORGANIC], []),
            ("snack", "Pain et fromage", [], [A.GLUTEN, A.MILK]),
        ],
        2: [
            ("starter", "Velouté de potiron", [L.HOMEMADE, L.LOCAL], [A.MILK]),
            ("main", "Chili sin carne", [L.VEGETARIAN], []),
            ("side", "Riz", [L.ORGANIC], []),
            ("dairy", "Yaourt aux fruits", [], [A.MILK]),
            ("dessert", "Poire", [L.LOCAL], []),
            ("snack", "Crêpes", [L.HOMEMADE], [A.GLUTEN, A.EGGS, A.MILK]),
        ],
        3: [
            ("starter", "Salade de pâtes", [], [A.GLUTEN, A.MUSTARD]),
            ("main", "Filet de colin sauce citron", [], [A.FISH, A.MILK]),
            ("side", "Épinards à la crème", [], [A.MILK]),
            ("dairy", "Saint-Paulin", [], [A.MILK]),
            ("dessert", "Mousse au chocolat", [L.HOMEMADE], [A.EGGS, A.MILK]),
            ("snack", "Fruit de saison", [], []),
        ],
        4: [
            ("starter", "Radis beurre", [L.LOCAL], [A.MILK]),
            ("main", "Hachis parmentier", [L.HOMEMADE], [A.MILK]),
            ("side", "Salade verte", [L.LOCAL], []),
            ("dairy", "Fromage de chèvre", [], [A.MILK]),
            ("dessert", "Kiwi", [], []),
            ("snack", "Pain d'épices", [], [A.GLUTEN]),
        ],
        5: [
            ("starter", "Œuf dur mayonnaise", [], [A.EGGS, A.MUSTARD]),
            ("main", "Curry de pois chiches", [L.VEGETARIAN, L.HOMEMADE], [A.SESAME]),
            ("side", "Boulgour", [L.ORGANIC], [A.GLUTEN]),
            ("dairy", "Fromage blanc", [], [A.MILK]),
            ("dessert", "Salade de fruits", [L.HOMEMADE], []),
            ("snack", "Madeleine", [], [A.GLUTEN, A.EGGS, A.MILK]),
        ],
    },
    {
        1: [
            ("starter", "Chou rouge aux pommes", [L.LOCAL], []),
            ("main", "Boulettes de bœuf à la tomate", [], [A.GLUTEN]),
            ("side", "Coquillettes", [L.ORGANIC], [A.GLUTEN]),
            ("dairy", "Mimolette", [], [A.MILK]),
            ("dessert", "Orange", [], []),
            ("snack", "Pain et beurre", [], [A.GLUTEN, A.MILK]),
        ],
        2: [
            ("starter", "Soupe de poireaux", [L.LOCAL, L.HOMEMADE], []),
            ("main", "Quiche aux légumes", [L.VEGETARIAN], [A.GLUTEN, A.EGGS, A.MILK]),
            ("side", "Salade de mâche", [], []),
            ("dairy", "Yaourt à la vanille", [], [A.MILK]),
            ("dessert", "Compote pomme-abricot", [L.ORGANIC], []),
            ("snack", "Fruit et biscuit", [], [A.GLUTEN, A.NUTS]),
        ],
        3: [
            ("starter", "Taboulé", [L.HOMEMADE], [A.GLUTEN]),
            ("main", "Dos de cabillaud", [], [A.FISH]),
            ("side", "Purée de carottes", [L.LOCAL], [A.MILK]),
            ("dairy", "Edam", [], [A.MILK]),
            ("dessert", "Ananas", [], []),
            ("snack", "Gaufre", [], [A.GLUTEN, A.EGGS, A.MILK]),
        ],
        4: [
            ("starter", "Salade de riz au thon", [], [A.FISH]),
            ("main", "Blanquette de veau", [L.LOCAL], [A.MILK, A.GLUTEN]),
            ("side", "Petits pois", [], []),
            ("dairy", "Coulommiers", [], [A.MILK]),
            ("dessert", "Flan pâtissier", [L.HOMEMADE], [A.GLUTEN, A.EGGS, A.MILK]),
            ("snack", "Fruit de saison", [], []),
        ],
        5: [
            ("starter", "Carottes au cumin", [L.ORGANIC], []),
            ("main", "Galette de légumes et sauce yaourt", [L.VEGETARIAN], [A.GLUTEN, A.MILK]),
            ("side", "Pommes de terre rissolées", [L.LOCAL], []),
            ("dairy", "Emmental", [], [A.MILK]),
            ("dessert", "Pomme au four", [L.HOMEMADE, L.LOCAL], []),
            ("snack", "Pain au lait", [], [A.GLUTEN, A.MILK]),
        ],
    },
]


def menu_dishes_for(monday):
    """The demo dishes of the week starting ``monday`` (depends only on the week)."""
    week = MENU_ROTATION[monday.isocalendar()[1] % len(MENU_ROTATION)]
    dishes = []
    for day, rows in week.items():
        for position, (course, name, labels, allergens) in enumerate(rows):
            dishes.append(
                MenuDish(
                    day=day,
                    course=Course(course),
                    name=name,
                    labels=[str(label) for label in labels],
                    allergens=[str(allergen) for allergen in allergens],
                    sort_order=day * 10 + position,
                )
            )
    return dishes


def _menus(home):
    index = _child(
        home,
        MenusIndexPage,
        "menus",
        title="Menus de la cantine",
        intro=_p(
            "Les menus des restaurants scolaires de Belval, préparés par la cuisine centrale. "
            "Le goûter est servi à l'accueil périscolaire du soir."
        ),
        show_in_menus=True,
    )
    this_monday = monday_of(timezone.localdate())
    for offset in (-7, 0, 7):
        monday = this_monday + datetime.timedelta(days=offset)
        _child(
            index,
            MenuWeekPage,
            iso_week_code(monday).lower(),
            title=f"Menus de la {week_label(monday)}",
            week_start=monday,
            dishes=menu_dishes_for(monday),
        )
    return index


# --- Services, tariffs ----------------------------------------------------------------

SERVICE_PAGES = {
    "periscolaire": {
        "body": [
            _paragraph(
                "L'accueil périscolaire reçoit les enfants scolarisés à Belval avant et après "
                "la classe, dans leur école. Les animateurs proposent des activités calmes le "
                "matin, un goûter et des ateliers le soir.",
            ),
            _heading("Ce qu'il faut prévoir"),
            _paragraph("Une tenue adaptée aux jeux d'extérieur et, pour les petits, un doudou."),
        ],
        "hours": _p("Matin : 7 h 30 – 8 h 20.", "Soir : 16 h 30 – 18 h 30."),
        "deadlines": _p(
            "Réservez ou annulez au plus tard <b>deux jours avant, avant 10 h</b>. Une "
            "absence non prévenue est facturée, sauf certificat médical."
        ),
    },
    "restauration-scolaire": {
        "body": [
            _paragraph(
                "Les repas sont préparés par la cuisine centrale et servis dans chaque école. "
                "Les menus sont publiés chaque semaine avec les allergènes.",
            ),
            _heading("Allergies et régimes"),
            _paragraph(
                "Un enfant allergique est accueilli avec un projet d'accueil individualisé "
                "(PAI). Des repas sans porc et végétariens sont proposés sur demande."
            ),
        ],
        "hours": _p("Service de 11 h 45 à 13 h 30, les lundis, mardis, jeudis et vendredis."),
        "deadlines": _p(
            "Réservez ou annulez un repas jusqu'au <b>jeudi midi</b> pour la semaine suivante."
        ),
    },
    "accueil-de-loisirs": {
        "body": [
            _paragraph(
                "L'accueil de loisirs Le Moulin accueille les enfants de 3 à 11 ans les "
                "mercredis et pendant les vacances scolaires, à la journée, repas compris.",
            )
        ],
        "hours": _p("Accueil de 7 h 30 à 9 h, départ de 17 h à 18 h 30."),
        "deadlines": _p(
            "Mercredis : réservation jusqu'au lundi précédent. Vacances : jusqu'à dix jours "
            "avant le début de la session."
        ),
    },
    "ecole-des-sports": {
        "body": [
            _paragraph(
                "Un cycle de sports différents à chaque période, encadré par des éducateurs "
                "diplômés."
            )
        ],
        "hours": _p("Mercredi : 9 h – 10 h 30 (6–8 ans), 10 h 30 – 12 h (9–11 ans)."),
        "deadlines": _p("Inscription à l'année, avant le 30 septembre."),
    },
    "espace-jeunes": {
        "body": [_paragraph("Accueil libre, projets, sorties et séjours pour les 11–17 ans.")],
        "hours": _p("Mardi au vendredi : 16 h – 19 h ; mercredi et samedi : 14 h – 19 h."),
        "deadlines": _p("Adhésion annuelle ; les sorties se réservent une semaine à l'avance."),
    },
    "tickets-sports": {
        "body": [_paragraph("Une semaine de stage multisports pendant les petites vacances.")],
        "hours": _p("Du lundi au vendredi, 14 h – 17 h."),
        "deadlines": _p("Inscription jusqu'à dix jours avant la semaine choisie."),
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


def _services(home, demo):
    index = _child(
        home,
        ServiceIndexPage,
        "services",
        title="Services",
        intro=_p("Les accueils et activités proposés aux enfants et aux jeunes de Belval."),
        show_in_menus=True,
    )
    for slug, service in demo.objects["services"].items():
        content = SERVICE_PAGES[slug]
        reglement = _document(
            f"Règlement de fonctionnement — {service.name}",
            [
                f"Ville de Belval — {service.name}",
                "Article 1 : inscription annuelle dans l'espace famille.",
                "Article 2 : réservations et annulations dans les délais indiqués.",
                "Article 3 : facturation mensuelle selon le quotient familial.",
            ],
        )
        _child(
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


# --- Other sections ---------------------------------------------------------------------


def _tutorials(home):
    index = _child(
        home,
        TutorialIndexPage,
        "tutoriels",
        title="Tutoriels",
        intro=_p("Pas à pas, les démarches de l'espace famille."),
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
    steps_booking = [
        ("Choisir l'enfant", "Dans « Réservations », choisissez l'enfant concerné.", "violet"),
        ("Cocher les jours", "Cochez les jours voulus dans le calendrier, puis validez.", "bleu"),
    ]
    for slug, title, intro, steps in (
        ("creer-mon-compte", "Créer mon compte", "Se connecter la première fois.", steps_account),
        (
            "reserver-la-cantine",
            "Réserver la cantine",
            "Réserver ou annuler des repas.",
            steps_booking,
        ),
    ):
        blocks = []
        for number, (step_title, text, color) in enumerate(steps, start=1):
            image = _image(
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
                        "text": _p(text),
                        "image": {"image": image.pk, "decorative": False, "alt_text": ""},
                    },
                }
            )
        _child(index, TutorialPage, slug, title=title, intro=intro, steps=blocks)
    return index


def _documents(home):
    fiche = _document(
        "Fiche de renseignements",
        [
            "Nom et prénom de l'enfant : ____________",
            "Responsables légaux : ____________",
            "Personnes autorisées à venir chercher l'enfant : ____________",
        ],
    )
    sanitaire = _document(
        "Fiche sanitaire de liaison",
        [
            "Vaccinations : ____________",
            "Allergies : ____________",
            "Médecin traitant : ____________",
        ],
    )
    prelevement = _document(
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
    return _child(
        home,
        DocumentsPage,
        "documents-utiles",
        title="Documents utiles",
        intro=_p("Les formulaires et règlements à télécharger."),
        sections=sections,
    )


def _practical_info(home):
    return _child(
        home,
        PracticalInfoPage,
        "infos-pratiques",
        title="Infos pratiques",
        intro=_p("Adresses, horaires et contacts des écoles et des lieux d'accueil."),
        body=[CONTACT_SEJ],
        show_in_menus=True,
    )


def _faq(home):
    def question(text, answer):
        return {"question": text, "answer": _p(answer)}

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
    return _child(
        home,
        FaqPage,
        "questions-frequentes",
        title="Questions fréquentes",
        intro=_p("Les réponses aux questions que les familles nous posent le plus souvent."),
        sections=sections,
    )


def _content_pages(home):
    accessibility = _child(
        home,
        ContentPage,
        "accessibilite",
        title="Accessibilité",
        intro="Déclaration d'accessibilité du portail famille de la ville de Belval.",
        body=[
            _paragraph(
                "La ville de Belval s'engage à rendre son portail accessible conformément à "
                "l'article 47 de la loi n° 2005-102 du 11 février 2005.",
            ),
            _heading("État de conformité"),
            _paragraph(
                "Chaque type de page est vérifié automatiquement avec axe-core dans un "
                "navigateur. Un audit RGAA complet reste à réaliser.",
            ),
            _heading("Signaler un problème"),
            _paragraph(
                "Écrivez à accessibilite@belval.example : nous vous répondrons et vous "
                "transmettrons l'information sous une forme accessible.",
            ),
        ],
    )
    legal = _child(
        home,
        ContentPage,
        "mentions-legales",
        title="Mentions légales",
        intro="Éditeur, hébergement et données personnelles.",
        body=[
            _heading("Éditeur"),
            _paragraph("Ville de Belval, 1 place de la République, 45000 Belval."),
            _heading("Données personnelles"),
            _paragraph(
                "Les données de l'espace famille servent uniquement à la gestion des "
                "services à l'enfance. Vous pouvez en obtenir une copie depuis votre espace.",
            ),
        ],
    )
    return accessibility, legal


def _settings(home, pages, logo):
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


def seed(demo):
    """Every page type of the public site, with the demo town's content."""
    # Wagtail logs every page it creates and publishes: too much for `make demo`.
    wagtail_logger = logging.getLogger("wagtail")
    level = wagtail_logger.level
    wagtail_logger.setLevel(logging.WARNING)
    try:
        _seed(demo)
    finally:
        wagtail_logger.setLevel(level)


def _seed(demo):
    if "services" not in demo.objects:
        # The service pages and practical info read the catalogue.
        from espace_prive.catalogue.demo import seed as seed_catalogue

        seed_catalogue(demo)
    home = _home(demo)
    logo = _image("Logo de la ville de Belval", alt="Ville de Belval", data=demo_assets.logo())
    pages = {
        "news": _news(home, demo),
        "menus": _menus(home),
        "services": _services(home, demo),
        "tariffs": _child(
            home,
            TariffsPage,
            "tarifs",
            title="Tarifs",
            intro=_p(
                "Les prix des services dépendent de votre quotient familial (QF), calculé par "
                "la CAF ou la MSA. Les familles qui n'habitent pas Belval paient le tarif hors "
                "commune."
            ),
            simulator_help=_p(
                "Saisissez votre quotient familial pour connaître le prix de chaque service."
            ),
            show_in_menus=True,
        ),
        "tutorials": _tutorials(home),
        "documents": _documents(home),
        "practical": _practical_info(home),
        "faq": _faq(home),
        "search": _child(
            home,
            SearchPage,
            "recherche",
            title="Recherche",
            intro="Cherchez une information sur le site : menus, services, démarches…",
        ),
    }
    pages["accessibility"], pages["legal"] = _content_pages(home)
    _settings(home, pages, logo)
    # Renditions used by the templates exist before the first visitor comes.
    Image = get_image_model()
    for image in Image.objects.filter(title__in=[logo.title]):
        image.get_renditions(*ALL_RENDITIONS)
    demo.objects["public_pages"] = pages
