from django.contrib.auth import get_user_model

from cms.demo import DEMO_EMAIL_DOMAIN

STAFF_EMAIL = f"admin@{DEMO_EMAIL_DOMAIN}"
STAFF_PASSWORD = "Belval-Admin-2026"
FAMILY_EMAIL = f"famille.martin@{DEMO_EMAIL_DOMAIN}"
FAMILY_PASSWORD = "Belval-Famille-2026"


def _user(email, password, **fields):
    User = get_user_model()
    user, _ = User.objects.update_or_create(email=email, defaults=fields)
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def seed(demo):
    """A member of staff (all permissions) and a family guardian."""
    demo.objects["staff_user"] = _user(
        STAFF_EMAIL,
        STAFF_PASSWORD,
        first_name="Claire",
        last_name="Dubois",
        is_staff=True,
        is_superuser=True,
        is_active=True,
    )
    demo.add_login(STAFF_EMAIL, STAFF_PASSWORD, "Personnel (administration)")
    demo.objects["family_user"] = _user(
        FAMILY_EMAIL,
        FAMILY_PASSWORD,
        first_name="Sophie",
        last_name="Martin",
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    demo.add_login(FAMILY_EMAIL, FAMILY_PASSWORD, "Famille (responsable légal)")
