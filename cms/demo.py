"""The demo data framework: each app contributes a ``seed(demo)`` function.

``seed_demo`` runs them in the order of ``SEEDERS`` inside one transaction. Every
seeder must be idempotent (``update_or_create`` on natural keys) and deterministic
(fixed names and passwords; dates relative to today only where the data must stay
current, such as this week's menu).
"""

from dataclasses import dataclass, field

# Dotted paths of seed functions, in dependency order. Later issues append theirs.
SEEDERS = [
    "espace_prive.catalogue.demo.seed",
    "pages.demo.seed",
    "espace_prive.accounts.demo.seed",
    "espace_prive.families.demo.seed",
    "espace_prive.accounts.demo.seed_family_accounts",
    "espace_prive.demandes.demo.seed",
    "espace_prive.documents.demo.seed",
    "espace_prive.messaging.demo.seed",
    "espace_prive.bookings.demo.seed",
    "espace_prive.messaging.demo.seed_segments",
    "espace_prive.attendance.demo.seed",
    "espace_prive.kitchen.demo.seed",
    "espace_prive.billing.demo.seed",
    "espace_prive.billing.demo_documents.seed_billing_documents",
    "espace_prive.billing.demo_sepa.seed",
]

DEMO_TOWN_NAME = "Ville de Belval"
DEMO_EMAIL_DOMAIN = "demo.portail-famille.fr"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str


@dataclass
class Demo:
    """What seeders share: objects created by earlier seeders and the logins to print."""

    objects: dict = field(default_factory=dict)
    logins: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def add_login(self, email, password, role):
        self.logins.append(DemoLogin(email, password, role))

    def add_note(self, text):
        """A line printed after the logins (e.g. the demo staff's TOTP secret)."""
        self.notes.append(text)
