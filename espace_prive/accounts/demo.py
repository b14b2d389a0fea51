import hashlib
from base64 import b32encode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.demo import DEMO_EMAIL_DOMAIN

STAFF_EMAIL = f"admin@{DEMO_EMAIL_DOMAIN}"
STAFF_PASSWORD = "Belval-Admin-2026"
# An editor of the public site: the Communication group, nothing of the private area.
EDITOR_EMAIL = f"redaction@{DEMO_EMAIL_DOMAIN}"
EDITOR_PASSWORD = "Belval-Redaction-2026"
EDITORS_GROUP = "Communication"
# A service agent: decides requests, without access to the children's health data.
AGENT_EMAIL = f"agent@{DEMO_EMAIL_DOMAIN}"
AGENT_PASSWORD = "Belval-Agent-2026"
AGENTS_GROUP = "Agents Enfance-Jeunesse"
FAMILY_EMAIL = f"famille.martin@{DEMO_EMAIL_DOMAIN}"
FAMILY_PASSWORD = "Belval-Famille-2026"
PARTNER_EMAIL = f"marc.martin@{DEMO_EMAIL_DOMAIN}"
PARTNER_PASSWORD = "Belval-Conjoint-2026"
APPLICANT_EMAIL = f"famille.petit@{DEMO_EMAIL_DOMAIN}"
APPLICANT_PASSWORD = "Belval-Inscription-2026"

# The demo staff's TOTP key: fixed, public, for the demo only (a real account gets a
# random key when it enrols). Computed, so that re-seeding keeps the same secret.
DEMO_TOTP_KEY = hashlib.sha256(b"portail-famille demo TOTP").hexdigest()[:40]
DEMO_TOTP_DEVICE_NAME = "Démo (clé publique)"
DEMO_BACKUP_CODES = ["demo2026a1", "demo2026b2", "demo2026c3"]


def _user(email, password, **fields):
    User = get_user_model()
    fields.setdefault("email_confirmed_at", timezone.now())
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, **fields)
    else:
        if user.email_confirmed_at:
            fields.pop("email_confirmed_at")
        for name, value in fields.items():
            setattr(user, name, value)
        user.save()
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def demo_totp_secret():
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def demo_totp_device():
    return TOTPDevice.objects.filter(
        user__email=STAFF_EMAIL, name=DEMO_TOTP_DEVICE_NAME, key=DEMO_TOTP_KEY
    ).first()


def _staff_second_factor(staff):
    device, _ = TOTPDevice.objects.update_or_create(
        user=staff,
        name=DEMO_TOTP_DEVICE_NAME,
        defaults={"key": DEMO_TOTP_KEY, "confirmed": True, "step": 30, "digits": 6},
    )
    backup, _ = StaticDevice.objects.get_or_create(
        user=staff, name="Codes de secours", defaults={"confirmed": True}
    )
    for code in DEMO_BACKUP_CODES:
        StaticToken.objects.get_or_create(device=backup, token=code)
    return device


def seed(demo):
    """A member of staff (all permissions, TOTP with a printed secret) and a guardian."""
    staff = _user(
        STAFF_EMAIL,
        STAFF_PASSWORD,
        first_name="Claire",
        last_name="Dubois",
        is_staff=True,
        is_superuser=True,
        is_active=True,
    )
    demo.objects["staff_user"] = staff
    device = _staff_second_factor(staff)
    demo.add_login(STAFF_EMAIL, STAFF_PASSWORD, "Personnel (administration)")
    editor = _user(
        EDITOR_EMAIL,
        EDITOR_PASSWORD,
        first_name="Camille",
        last_name="Leroy",
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    _staff_second_factor(editor)  # the same public demo key: one code for both
    demo.objects["editor_user"] = editor
    demo.add_login(EDITOR_EMAIL, EDITOR_PASSWORD, "Rédaction (groupe Communication)")
    agent = _user(
        AGENT_EMAIL,
        AGENT_PASSWORD,
        first_name="Karim",
        last_name="Haddad",
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    agent.groups.add(Group.objects.get(name=AGENTS_GROUP))
    _staff_second_factor(agent)
    demo.objects["agent_user"] = agent
    demo.add_login(AGENT_EMAIL, AGENT_PASSWORD, "Agent (sans données sanitaires)")
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
    demo.add_note(
        "Double authentification du personnel, de la rédaction et de l'agent "
        "(démo uniquement, clé publique commune) :\n"
        f"  clé TOTP : {demo_totp_secret()}\n"
        f"  {device.config_url}\n"
        "  code du moment : python manage.py demo_totp    "
        f"codes de secours : {', '.join(DEMO_BACKUP_CODES)}"
    )


def seed_family_accounts(demo):
    """The Martin family's second guardian with their own login; a pending pré-inscription."""
    from espace_prive.families.models import Guardian

    from .models import Registration, RegistrationChild

    family = demo.objects["martin_family"]
    partner_user = _user(
        PARTNER_EMAIL,
        PARTNER_PASSWORD,
        first_name="Marc",
        last_name="Martin",
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    Guardian.objects.update_or_create(
        family=family,
        role=Guardian.Role.PARTNER,
        defaults={
            "civility": Guardian.Civility.MONSIEUR,
            "first_name": "Marc",
            "last_name": "Martin",
            "email": PARTNER_EMAIL,
            "mobile_phone": "06 98 76 54 32",
            "user": partner_user,
        },
    )
    demo.add_login(PARTNER_EMAIL, PARTNER_PASSWORD, "Famille (second responsable)")

    applicant = _user(
        APPLICANT_EMAIL,
        APPLICANT_PASSWORD,
        first_name="Nadia",
        last_name="Petit",
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    if not Registration.objects.filter(user=applicant).exists():
        registration = Registration.objects.create(
            user=applicant,
            civility=Registration.Civility.MADAME,
            first_name="Nadia",
            last_name="Petit",
            email=APPLICANT_EMAIL,
            mobile_phone="07 12 34 56 78",
            address="21 avenue de la Gare",
            postcode="45000",
            city="Belval",
        )
        RegistrationChild.objects.create(
            registration=registration,
            first_name="Yanis",
            last_name="Petit",
            birth_date=timezone.localdate().replace(year=timezone.localdate().year - 7, day=1),
        )
    demo.add_login(APPLICANT_EMAIL, APPLICANT_PASSWORD, "Pré-inscription en attente")
