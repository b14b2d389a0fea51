"""Demo canteen menus: last week, this week and next week, from a three-week rotation.

Each week of the rotation has a dish with peanuts: Léa Martin (peanut allergy, PAI) sees
it flagged on her menus in the espace famille."""

import datetime

from django.utils import timezone

from ..enums import Allergen, Course, DishLabel
from ..models import MenuDish, MenusIndexPage, MenuWeekPage
from ..weeks import iso_week_code, monday_of, week_label
from .common import child, p

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
            ("starter", "Salade de lentilles et cacahuètes", [L.ORGANIC], [A.MUSTARD, A.PEANUTS]),
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
            (
                "main",
                "Curry de pois chiches au beurre de cacahuète",
                [L.VEGETARIAN, L.HOMEMADE],
                [A.PEANUTS, A.SESAME],
            ),
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
            ("snack", "Fruit et biscuit aux cacahuètes", [], [A.GLUTEN, A.NUTS, A.PEANUTS]),
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


def menus(home):
    index = child(
        home,
        MenusIndexPage,
        "menus",
        title="Menus de la cantine",
        intro=p(
            "Les menus des restaurants scolaires de Belval, préparés par la cuisine centrale. "
            "Le goûter est servi à l'accueil périscolaire du soir."
        ),
        show_in_menus=True,
    )
    this_monday = monday_of(timezone.localdate())
    for offset in (-7, 0, 7):
        monday = this_monday + datetime.timedelta(days=offset)
        child(
            index,
            MenuWeekPage,
            iso_week_code(monday).lower(),
            title=f"Menus de la {week_label(monday)}",
            week_start=monday,
            dishes=menu_dishes_for(monday),
        )
    return index
