import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from espace_prive.families.models import Child, private_storage

MAX_BODY_LENGTH = 10_000
MAX_ATTACHMENTS = 5


class Topic(models.TextChoices):
    ENROLMENT = "inscriptions", "Inscriptions"
    BILLING = "facturation", "Facturation"
    CATERING = "restauration", "Restauration scolaire"
    OTHER = "autre", "Autre question"


class ThreadState(models.TextChoices):
    OPEN = "ouvert", "Ouverte"
    CLOSED = "clos", "Close"


class Sender(models.TextChoices):
    FAMILY = "famille", "La famille"
    SERVICE = "service", "Le service"


class TopicRoute(models.Model):
    """Which staff group receives the threads of a topic (set by the town)."""

    topic = models.CharField("sujet", max_length=20, choices=Topic.choices, unique=True)
    group = models.ForeignKey(
        "auth.Group",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="groupe destinataire",
    )

    class Meta:
        verbose_name = "destinataire d'un sujet"
        verbose_name_plural = "destinataires des sujets"
        ordering = ["topic"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topic__in=Topic.values),
                name="messaging_route_topic_valid",
                violation_error_message="Thème de message inconnu.",
            ),
        ]

    def __str__(self):
        return f"{self.get_topic_display()} → {self.group}"


class Broadcast(models.Model):
    """A message staff send to a segment of families: every family, or those having a
    child at a school, in a class level, and/or enrolled (enrolment accepted) in a service
    — at one of its sites, for one school year (else a school year not over yet). The
    criteria apply to the same child. Delivered as one thread per family by a task."""

    class State(models.TextChoices):
        QUEUED = "en_file", "En file d'attente"
        SENDING = "envoi", "Envoi en cours"
        DONE = "envoye", "Envoyé"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    school = models.ForeignKey(
        "catalogue.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="école",
    )
    class_level = models.CharField(
        "classe", max_length=10, choices=Child.ClassLevel.choices, blank=True
    )
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inscrits au service",
    )
    service_site = models.ForeignKey(
        "catalogue.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lieu d'accueil",
    )
    school_year = models.ForeignKey(
        "bookings.SchoolYear",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="année scolaire",
    )
    topic = models.CharField("sujet", max_length=20, choices=Topic.choices, default=Topic.OTHER)
    state = models.CharField("état", max_length=20, choices=State.choices, default=State.QUEUED)
    families_count = models.PositiveIntegerField("familles visées", default=0)
    delivered_count = models.PositiveIntegerField("familles atteintes", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="écrit par",
    )
    created_at = models.DateTimeField("écrit le", default=timezone.now)
    finished_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "message à plusieurs familles"
        verbose_name_plural = "messages à plusieurs familles"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["en_file", "envoi", "envoye"]),
                name="messaging_broadcast_state_valid",
                violation_error_message="État d'envoi inconnu.",
            ),
            models.CheckConstraint(
                condition=~models.Q(subject="") & ~models.Q(body=""),
                name="messaging_broadcast_not_empty",
                violation_error_message="Un message a un objet et un texte.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_BODY_LENGTH),
                name="messaging_broadcast_body_length",
                violation_error_message=f"Un message compte {MAX_BODY_LENGTH} caractères au plus.",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="envoye") | ~models.Q(finished_at=None),
                name="messaging_broadcast_done_when_known",
                violation_error_message="Un envoi terminé porte la date de sa fin.",
            ),
            models.CheckConstraint(
                condition=~models.Q(service=None)
                | (models.Q(service_site=None) & models.Q(school_year=None)),
                name="messaging_broadcast_site_and_year_need_a_service",
                violation_error_message=(
                    "Le lieu d'accueil et l'année scolaire précisent un service : choisissez "
                    "d'abord le service."
                ),
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def segment(self):
        """The criteria, as ``selectors.segment_families`` takes them."""
        return {
            "school": self.school,
            "class_level": self.class_level,
            "service": self.service,
            "service_site": self.service_site,
            "school_year": self.school_year,
        }

    @property
    def segment_label(self):
        if not (self.school_id or self.class_level or self.service_id):
            return "Toutes les familles"
        level = f" en {self.get_class_level_display()}" if self.class_level else ""
        where = f" à « {self.school} »" if self.school_id else ""
        enrolled = ""
        if self.service_id:
            enrolled = f" inscrit à « {self.service} »"
            if self.service_site_id:
                enrolled += f" ({self.service_site})"
            if self.school_year_id:
                enrolled += f" en {self.school_year.label}"
        return f"Familles ayant un enfant{level}{where}{enrolled}"


class Thread(models.Model):
    """A conversation between a family and the service."""

    Topic = Topic
    State = ThreadState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.CASCADE,
        related_name="threads",
        verbose_name="famille",
    )
    subject = models.CharField("objet", max_length=200)
    topic = models.CharField("sujet", max_length=20, choices=Topic.choices, default=Topic.OTHER)
    group = models.ForeignKey(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="service destinataire",
    )
    state = models.CharField(
        "état", max_length=10, choices=ThreadState.choices, default=ThreadState.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_threads",
        verbose_name="suivie par",
    )
    broadcast = models.ForeignKey(
        Broadcast,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="threads",
        verbose_name="message à plusieurs familles",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="ouverte par",
    )
    created_at = models.DateTimeField("ouverte le", default=timezone.now)
    last_message_at = models.DateTimeField("dernier message le", default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="close par",
    )
    closed_at = models.DateTimeField("close le", null=True, blank=True)

    class Meta:
        verbose_name = "conversation"
        verbose_name_plural = "conversations"
        ordering = ["-last_message_at", "-id"]
        permissions = [
            ("reply_thread", "Peut répondre aux messages des familles"),
            ("view_all_threads", "Peut voir les messages adressés à tous les services"),
            ("send_broadcast", "Peut écrire à un ensemble de familles"),
        ]
        indexes = [
            models.Index(fields=["family", "-last_message_at"], name="messaging_thread_family_idx"),
            models.Index(fields=["state", "-last_message_at"], name="messaging_thread_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topic__in=Topic.values),
                name="messaging_thread_topic_valid",
                violation_error_message="Thème de message inconnu.",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ThreadState.values),
                name="messaging_thread_state_valid",
                violation_error_message="État de conversation inconnu.",
            ),
            models.CheckConstraint(
                condition=~models.Q(subject=""),
                name="messaging_thread_subject_not_empty",
                violation_error_message="Indiquez l'objet de votre message.",
            ),
            models.CheckConstraint(
                condition=(models.Q(state=ThreadState.OPEN) & models.Q(closed_at=None))
                | (models.Q(state=ThreadState.CLOSED) & ~models.Q(closed_at=None)),
                name="messaging_thread_closed_when_known",
                violation_error_message="Une conversation close porte la date de sa clôture.",
            ),
            # A message to many families reaches each family once, whatever the retries.
            models.UniqueConstraint(
                fields=["broadcast", "family"],
                condition=~models.Q(broadcast=None),
                name="messaging_thread_once_per_broadcast",
                violation_error_message="Cette famille a déjà reçu ce message.",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_open(self):
        return self.state == ThreadState.OPEN


class Message(models.Model):
    """One message of a thread, from the family or from the service; shown as text."""

    Sender = Sender

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages", verbose_name="conversation"
    )
    sender = models.CharField("de la part de", max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="auteur",
    )
    author_name = models.CharField("signé", max_length=255, blank=True)
    body = models.TextField("message")
    created_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="messaging_message_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sender__in=Sender.values),
                name="messaging_message_sender_valid",
                violation_error_message="Auteur de message inconnu.",
            ),
            models.CheckConstraint(
                condition=~models.Q(body=""),
                name="messaging_message_not_empty",
                violation_error_message="Un message ne peut pas être vide.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_BODY_LENGTH),
                name="messaging_message_body_length",
                violation_error_message=f"Un message compte {MAX_BODY_LENGTH} caractères au plus.",
            ),
        ]

    def __str__(self):
        return f"{self.thread} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_from_service(self):
        return self.sender == Sender.SERVICE


class Attachment(models.Model):
    """A file joined to a message, checked like the documents, in the private storage."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name="message"
    )
    file = models.FileField("fichier", storage=private_storage, max_length=255, editable=False)
    original_name = models.CharField("nom du fichier envoyé", max_length=255, blank=True)
    size = models.PositiveIntegerField("taille (octets)", default=0)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file=""),
                name="messaging_attachment_has_file",
                violation_error_message="Une pièce jointe a toujours un fichier.",
            ),
        ]

    def __str__(self):
        return self.original_name or self.file.name.rsplit("/", 1)[-1]

    def download_words(self):
        """``pièce-jointe-<name sent, slugified>.pdf`` (``espace_prive.downloads``)."""
        stem = self.original_name.rsplit(".", 1)[0] if self.original_name else ""
        return ("pièce jointe", stem)


class ThreadRead(models.Model):
    """Up to when one reader (a guardian's login, an agent) has read a thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("lu jusqu'au", default=timezone.now)

    class Meta:
        verbose_name = "lecture"
        verbose_name_plural = "lectures"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"],
                name="messaging_read_once",
                violation_error_message="Cette lecture est déjà enregistrée.",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.thread} ({self.read_at:%d/%m/%Y %H:%M})"


class ReplyTemplate(models.Model):
    """A ready answer agents start a reply from (opening hours, documents to send…)."""

    title = models.CharField("titre", max_length=150, unique=True)
    body = models.TextField("texte")
    is_active = models.BooleanField("proposé", default=True)

    class Meta:
        verbose_name = "modèle de réponse"
        verbose_name_plural = "modèles de réponse"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_BODY_LENGTH),
                name="messaging_template_body_length",
                violation_error_message=(
                    f"Un modèle de réponse compte {MAX_BODY_LENGTH} caractères au plus."
                ),
            ),
        ]

    def __str__(self):
        return self.title


class NotificationTopic(models.TextChoices):
    """E-mails a guardian may turn off; those about the account and its security are not
    listed here: they are always sent."""

    MESSAGES = "messages", "Nouveaux messages du service"
    REQUESTS = "requests", "Réponses à mes demandes"
    DOCUMENTS = "documents", "Vérification de mes documents"


class NotificationPreference(models.Model):
    """One guardian's choice for one kind of e-mail (no row: the e-mail is sent)."""

    Topic = NotificationTopic

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name="compte",
    )
    kind = models.CharField("e-mails", max_length=30, choices=NotificationTopic.choices)
    enabled = models.BooleanField("recevoir", default=True)

    class Meta:
        verbose_name = "préférence d'e-mail"
        verbose_name_plural = "préférences d'e-mail"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="messaging_preference_once",
                violation_error_message="Cette préférence est déjà enregistrée.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationTopic.values),
                name="messaging_preference_kind_valid",
                violation_error_message="Type d'e-mail inconnu.",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()} : {'oui' if self.enabled else 'non'}"
