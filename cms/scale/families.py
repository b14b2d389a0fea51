"""Households: about 1.5 children each (one to four), one or two guardians, a
quotient familial drawn around 900 € (one family in eight without one), residents
mostly, a third paying by direct debit; every child with a class from their birth
year, a school of their sector and a health record; some pickup persons."""

import datetime
from decimal import Decimal

from espace_prive.families.models import Child, Family, Guardian, HealthRecord, PickupPerson

from . import REFERENCE_PREFIX, bulk, timed

LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
    "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David",
    "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine",
    "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc",
    "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
    "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
    "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire",
    "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly",
    "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard",
    "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Haddad",
    "Benali", "Nguyen", "Da Silva", "Diallo", "Traoré", "Benoît", "Kone", "Ferreira",
]  # fmt: skip
WOMEN = [
    "Sophie", "Camille", "Julie", "Claire", "Émilie", "Laura", "Marie", "Sarah", "Aurélie",
    "Céline", "Nadia", "Amina", "Fatou", "Élodie", "Anne", "Isabelle", "Léa", "Chloé",
]  # fmt: skip
MEN = [
    "Thomas", "Nicolas", "Julien", "Maxime", "Karim", "Pierre", "Antoine", "Mehdi",
    "Sébastien", "Romain", "Marc", "David", "Olivier", "Youssef", "Mamadou", "Vincent",
]  # fmt: skip
GIRLS = [
    "Emma", "Jade", "Louise", "Alice", "Chloé", "Lina", "Léa", "Rose", "Anna", "Mia",
    "Inès", "Ambre", "Julia", "Manon", "Zoé", "Lou", "Nina", "Sarah", "Agathe", "Iris",
]  # fmt: skip
BOYS = [
    "Gabriel", "Léo", "Raphaël", "Louis", "Noah", "Arthur", "Jules", "Adam", "Maël",
    "Lucas", "Hugo", "Sacha", "Nathan", "Tom", "Ethan", "Liam", "Mohamed", "Paul", "Nolan",
]  # fmt: skip
STREETS = [
    "rue de la République", "rue Victor-Hugo", "avenue de la Gare", "rue des Écoles",
    "allée des Tilleuls", "chemin du Moulin", "rue du Stade", "place du Marché",
    "rue Pasteur", "avenue Jean-Jaurès", "rue des Lilas", "impasse des Peupliers",
]  # fmt: skip
# Age on the first of September -> class (French school system).
CLASSES = {2: "TPS", 3: "PS", 4: "MS", 5: "GS", 6: "CP", 7: "CE1", 8: "CE2", 9: "CM1"}
CLASSES.update({10: "CM2", 11: "college", 12: "college", 13: "college", 14: "college"})
CLASSES.update({15: "lycee", 16: "lycee", 17: "lycee"})
NURSERY_AGES = range(3, 6)
ELEMENTARY_AGES = range(6, 11)
SITUATIONS = ["marie", "pacse", "concubinage", "celibataire", "separe", "divorce"]
ALLERGIES = ["Arachide.", "Œuf.", "Lait de vache.", "Fruits à coque.", "Kiwi.", "Pollen."]
DIETS = ["sans_porc", "sans_viande", "vegetarien", "sans_gluten"]


def iban(rng):
    """A French IBAN with valid check digits (mod 97)."""
    bban = f"{rng.randrange(10**4, 10**5)}{rng.randrange(10**4, 10**5)}"
    bban += f"{rng.randrange(10**10, 10**11)}{rng.randrange(10, 100)}"
    digits = "".join(str(int(c, 36)) for c in bban + "FR00")
    return f"FR{98 - int(digits) % 97:02d}{bban}"


def _family(town, rng, index):
    start = town.start
    resident = rng.random() > 0.05
    has_qf = rng.random() > 0.125
    qf = Decimal(max(120, min(3200, int(rng.lognormvariate(6.75, 0.45))))) if has_qf else None
    debit = rng.random() < 0.33
    reference = f"{REFERENCE_PREFIX}{index:06d}"
    return Family(
        public_id=town.uuid(rng),
        reference=reference,
        address=f"{rng.randrange(1, 120)} {rng.choice(STREETS)}",
        postcode="45000" if resident else "45100",
        city="Belval" if resident else "Saint-Aubin",
        situation=rng.choice(SITUATIONS),
        paperless_invoices=rng.random() < 0.6,
        created_at=town.at(start - datetime.timedelta(days=rng.randrange(30, 2000))),
        allowance_body="caf" if has_qf else "",
        allowance_number=f"{rng.randrange(10**6, 10**7)}" if has_qf else "",
        quotient_familial=qf,
        qf_valid_from=datetime.date(start.year, 1, 1) if has_qf else None,
        qf_valid_to=datetime.date(start.year, 12, 31) if has_qf else None,
        account_holder=f"Titulaire du dossier {reference}" if debit else "",
        iban=iban(rng) if debit else "",
        bic="AGRIFRPP" if debit else "",
        sepa_mandate_reference=f"SEPA-{reference}" if debit else "",
        sepa_mandate_signed_on=start - datetime.timedelta(days=rng.randrange(10, 900))
        if debit
        else None,
    )


def _children_count(rng):
    draw = rng.random()
    return 1 if draw < 0.58 else 2 if draw < 0.91 else 3 if draw < 0.985 else 4


def generate(town):
    start = town.start
    sectors = town.objects["sectors"]
    with timed(town, "families: households, guardians, children, health"):
        rngs = [town.rng("families", index) for index in range(1, town.families + 1)]
        families = [_family(town, rng, index) for index, rng in enumerate(rngs, start=1)]
        families = bulk(Family, families)
        rng_of = {family.pk: rng for family, rng in zip(families, rngs, strict=True)}
        guardians, children, records, pickups = [], [], [], []
        for family in families:
            rng = rng_of[family.pk]
            surname = rng.choice(LAST_NAMES)
            couple = rng.random() < 0.7
            mother = rng.choice(WOMEN)
            people = [(Guardian.Role.PRIMARY, "mme", mother)]
            if couple:
                people.append((Guardian.Role.PARTNER, "m", rng.choice(MEN)))
            elif rng.random() < 0.2:
                people = [(Guardian.Role.PRIMARY, "m", rng.choice(MEN))]
            for role, civility, first in people:
                guardians.append(
                    Guardian(
                        public_id=town.uuid(rng),
                        family=family,
                        role=role,
                        civility=civility,
                        first_name=first,
                        last_name=surname,
                        mobile_phone=f"06 {rng.randrange(10, 100)} {rng.randrange(10, 100)} "
                        f"{rng.randrange(10, 100)} {rng.randrange(10, 100)}",
                        birth_date=datetime.date(start.year - rng.randrange(25, 52), 1, 1)
                        + datetime.timedelta(days=rng.randrange(365)),
                        profession=rng.choice(["", "Infirmière", "Technicien", "Enseignante"]),
                    )
                )
            sector = sectors[rng.randrange(len(sectors))]
            taken = set()
            for _ in range(_children_count(rng)):
                age = rng.choice(range(2, 15)) if rng.random() < 0.85 else rng.randrange(15, 18)
                girl = rng.random() < 0.5
                first = rng.choice(GIRLS if girl else BOYS)
                birth = datetime.date(start.year - age - 1, 9, 1) + datetime.timedelta(
                    days=rng.randrange(365)
                )
                if (first, birth) in taken:
                    continue
                taken.add((first, birth))
                school = None
                if age in NURSERY_AGES:
                    school = sector[0]
                elif age in ELEMENTARY_AGES:
                    school = sector[1]
                child = Child(
                    public_id=town.uuid(rng),
                    family=family,
                    first_name=first,
                    last_name=surname,
                    birth_date=birth,
                    sex="F" if girl else "M",
                    school=school,
                    class_level=CLASSES.get(age, ""),
                    photo_rights=rng.random() < 0.8,
                    may_leave_alone=age >= 10 and rng.random() < 0.6,
                    emergency_care=True,
                    transport=rng.random() < 0.9,
                    insurance_company="MAIF" if rng.random() < 0.5 else "MACIF",
                    insurance_number=f"{rng.randrange(10**7, 10**8)}",
                    can_swim=(age >= 8 and rng.random() < 0.7) or None,
                )
                children.append(child)
        guardians = bulk(Guardian, guardians)
        children = bulk(Child, children)
        for child in children:
            rng = rng_of[child.family_id]
            allergy = rng.choice(ALLERGIES) if rng.random() < 0.08 else ""
            pai = bool(allergy) and rng.random() < 0.3
            diet = rng.choice(DIETS) if rng.random() < 0.15 else ""
            records.append(
                HealthRecord(
                    child=child,
                    allergies=allergy,
                    diet=diet,
                    has_pai=pai,
                    pai_details="Trousse d'urgence dans le cartable." if pai else "",
                    vaccinations_up_to_date=True,
                    doctor_name=f"Dr {rng.choice(LAST_NAMES)}",
                    doctor_phone="02 38 00 00 00",
                )
            )
            if rng.random() < 0.4:
                pickups.append(
                    PickupPerson(
                        public_id=town.uuid(rng),
                        child=child,
                        first_name=rng.choice(WOMEN + MEN),
                        last_name=rng.choice(LAST_NAMES),
                        relationship=rng.choice(["Grand-mère", "Grand-père", "Voisine"]),
                        phone="06 11 22 33 44",
                    )
                )
        bulk(HealthRecord, records)
        bulk(PickupPerson, pickups)
    town.objects["families"] = families
    town.objects["guardians"] = guardians
    town.objects["children"] = children
