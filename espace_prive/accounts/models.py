import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from espace_prive.decisions import Decidable

from .managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a guardian of a family, or a member of staff.

    The e-mail address is the login; it is unique whatever its case.
    """

    email = models.EmailField("adresse e-mail", max_length=254, unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_staff = models.BooleanField(
        "membre du personnel",
        default=False,
        help_text="Peut se connecter à l'administration.",
    )
    is_active = models.BooleanField(
        "actif",
        default=True,
        help_text="Décochez plutôt que de supprimer le compte.",
    )
    date_joined = models.DateTimeField("date d'inscription", default=timezone.now)
    email_confirmed_at = models.DateTimeField(
        "adresse e-mail confirmée le",
        null=True,
        blank=True,
        help_text="Vide tant que la personne n'a pas suivi le lien de confirmation.",
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="Un compte utilise déjà cette adresse e-mail.",
            ),
            models.CheckConstraint(
                condition=~models.Q(email=""),
                name="accounts_user_email_not_empty",
                violation_error_message="L'adresse e-mail est obligatoire.",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None


class AuditEvent(models.Model):
    """One security-relevant event: who, what, when, from where. Never a password."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Connexion"
        LOGIN_FAILED = "login_failed", "Échec de connexion"
        LOCKOUT = "lockout", "Blocage après échecs répétés"
        LOGOUT = "logout", "Déconnexion"
        SESSION_EXPIRED = "session_expired", "Session expirée (inactivité)"
        PASSWORD_CHANGED = "password_changed", "Mot de passe modifié"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Réinitialisation demandée"
        PASSWORD_RESET = "password_reset", "Mot de passe réinitialisé"
        EMAIL_CHANGE_REQUESTED = "email_change_requested", "Changement d'e-mail demandé"
        EMAIL_CONFIRMED = "email_confirmed", "Adresse e-mail confirmée"
        OTP_ENABLED = "otp_enabled", "Double authentification activée"
        OTP_DISABLED = "otp_disabled", "Double authentification désactivée"
        OTP_VERIFIED = "otp_verified", "Second facteur vérifié"
        OTP_FAILED = "otp_failed", "Code de second facteur refusé"
        BACKUP_CODES_GENERATED = "backup_codes_generated", "Codes de secours générés"
        INVITATION_SENT = "invitation_sent", "Invitation envoyée"
        INVITATION_USED = "invitation_used", "Invitation utilisée"
        FAMILIES_IMPORTED = "families_imported", "Import de familles"
        REGISTRATION_SUBMITTED = "registration_submitted", "Pré-inscription déposée"
        REGISTRATION_ACCEPTED = "registration_accepted", "Pré-inscription acceptée"
        REGISTRATION_REFUSED = "registration_refused", "Pré-inscription refusée"
        USER_DEACTIVATED = "user_deactivated", "Compte désactivé"
        API_TOKEN_CREATED = "api_token_created", "Jeton d'API délivré"
        API_TOKEN_REVOKED = "api_token_revoked", "Jeton d'API révoqué"

    created_at = models.DateTimeField("date", default=timezone.now, db_index=True)
    kind = models.CharField("événement", max_length=40, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte concerné",
    )
    email = models.CharField(
        "identifiant saisi",
        max_length=254,
        blank=True,
        help_text="L'adresse e-mail saisie, utile quand aucun compte ne correspond.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    class Meta:
        verbose_name = "événement du journal de sécurité"
        verbose_name_plural = "événements du journal de sécurité"
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        permissions = [("view_auditevent", "Peut consulter le journal de sécurité")]
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_audit_user_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.email or self.user_id or ''}"


class LoginThrottle(models.Model):
    """Failed attempts for one (scope, account, IP) pair; locked once the limit is reached.

    Kept in the database so that every worker sees the same counts; rows are updated
    under ``SELECT … FOR UPDATE`` (see ``throttle.py``).
    """

    class Scope(models.TextChoices):
        LOGIN = "login", "Mot de passe"
        OTP = "otp", "Code de double authentification"
        ACCESS_CODE = "access_code", "Code d'accès (courrier)"

    scope = models.CharField(max_length=20, choices=Scope.choices)
    identifier = models.CharField(max_length=254)
    ip_address = models.GenericIPAddressField()
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "compteur d'échecs"
        verbose_name_plural = "compteurs d'échecs"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "identifier", "ip_address"],
                name="accounts_throttle_once",
                violation_error_message="Ce compteur de tentatives existe déjà.",
            )
        ]

    def __str__(self):
        return f"{self.scope} {self.identifier} {self.ip_address}"


class UserSession(models.Model):
    """The sessions a user opened, so that they can be ended server-side."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_sessions"
    )
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "session"
        verbose_name_plural = "sessions"
        default_permissions = ()

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A short-lived bearer token for the REST API. Only its SHA-256 is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("début du jeton", max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        default_permissions = ()

    def __str__(self):
        return f"{self.prefix}… ({self.user_id})"

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class Invitation(models.Model):
    """An invitation for a guardian to create their login.

    By e-mail, a single-use link (``secret_hash`` is the SHA-256 of its token); by
    letter, an access code printed on a PDF (``secret_hash`` is its keyed hash). The
    secret itself is never stored: printing a letter again issues a new code.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        LETTER = "courrier", "Courrier"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    guardian = models.ForeignKey(
        "families.Guardian",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name="responsable",
    )
    channel = models.CharField("envoi", max_length=10, choices=Channel.choices)
    email = models.EmailField("e-mail", blank=True)
    secret_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    expires_at = models.DateTimeField("valable jusqu'au", null=True, blank=True)
    used_at = models.DateTimeField("utilisée le", null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte créé",
    )

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at"]
        default_permissions = ()
        permissions = [
            ("manage_invitations", "Peut importer des familles et envoyer des invitations")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian"],
                condition=models.Q(used_at__isnull=True),
                name="accounts_invitation_one_open_per_guardian",
                violation_error_message="Une invitation est déjà en cours pour ce responsable.",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel="email") | ~models.Q(email=""),
                name="accounts_invitation_email_has_address",
                violation_error_message="Une invitation par e-mail demande une adresse e-mail.",
            ),
        ]

    def __str__(self):
        return f"Invitation {self.get_channel_display()} — {self.guardian_id}"

    class State(models.TextChoices):
        TO_PRINT = "a_imprimer", "Lettre à imprimer"
        SENT = "envoyee", "Envoyée"
        EXPIRED = "expiree", "Expirée"
        USED = "utilisee", "Utilisée"

    def state(self, now=None):
        now = now or timezone.now()
        if self.used_at:
            return self.State.USED
        if not self.secret_hash:
            return self.State.TO_PRINT
        if self.expires_at and self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.SENT


class Registration(Decidable, models.Model):
    """A pré-inscription: a new family asks for an account; staff accept or refuse it.

    Until a decision the applicant's login opens only the page that follows the request.
    """

    state_field = "status"  # for decide()

    class Status(models.TextChoices):
        PENDING = "en_attente", "En attente"
        ACCEPTED = "acceptee", "Acceptée"
        REFUSED = "refusee", "Refusée"

    class Civility(models.TextChoices):
        MADAME = "mme", "Madame"
        MONSIEUR = "m", "Monsieur"
        UNSPECIFIED = "", "Non précisé"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="registrations",
        verbose_name="compte du demandeur",
    )
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    civility = models.CharField("civilité", max_length=5, choices=Civility.choices, blank=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail")
    mobile_phone = models.CharField("téléphone portable", max_length=30, blank=True)
    address = models.CharField("adresse", max_length=255)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10)
    city = models.CharField("commune", max_length=100)
    submitted_at = models.DateTimeField("déposée le", default=timezone.now)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="famille créée",
    )

    class Meta:
        verbose_name = "pré-inscription"
        verbose_name_plural = "pré-inscriptions"
        ordering = ["-submitted_at"]
        default_permissions = ()
        permissions = [("review_registration", "Peut examiner les pré-inscriptions")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="refusee") | ~models.Q(refusal_reason=""),
                name="accounts_registration_refusal_has_reason",
                violation_error_message="Un refus doit être motivé.",
            ),
            # One request under review per applicant account.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="en_attente"),
                name="accounts_registration_one_pending_per_user",
                violation_error_message="Une pré-inscription est déjà en attente pour ce compte.",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.get_status_display()})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class RegistrationChild(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="children"
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    birth_date = models.DateField("date de naissance")

    class Meta:
        verbose_name = "enfant d'une pré-inscription"
        verbose_name_plural = "enfants d'une pré-inscription"
        ordering = ["birth_date", "id"]
        default_permissions = ()

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
