import datetime

from .models import Child, Family, Guardian

MARTIN_REFERENCE = "FAM-00001"


def seed(demo):
    """The Martin family, whose responsable is the demo family login."""
    sites = demo.objects["sites"]
    family, _ = Family.objects.update_or_create(
        reference=MARTIN_REFERENCE,
        defaults={
            "address": "8 rue des Lilas",
            "postcode": "45000",
            "city": "Belval",
            "situation": Family.Situation.MARRIED,
        },
    )
    Guardian.objects.update_or_create(
        family=family,
        role=Guardian.Role.PRIMARY,
        defaults={
            "civility": Guardian.Civility.MADAME,
            "first_name": "Sophie",
            "last_name": "Martin",
            "email": demo.objects["family_user"].email,
            "mobile_phone": "06 12 34 56 78",
            "user": demo.objects["family_user"],
        },
    )
    for first_name, birth_date, sex, school, level in [
        ("Léa", datetime.date(2017, 3, 14), Child.Sex.GIRL, "École élémentaire Jules-Ferry", "CE2"),
        ("Hugo", datetime.date(2021, 9, 2), Child.Sex.BOY, "École maternelle Les Tilleuls", "MS"),
    ]:
        Child.objects.update_or_create(
            family=family,
            first_name=first_name,
            birth_date=birth_date,
            defaults={
                "last_name": "Martin",
                "sex": sex,
                "school": sites[school],
                "class_level": level,
            },
        )
    demo.objects["martin_family"] = family
