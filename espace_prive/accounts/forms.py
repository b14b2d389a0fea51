import datetime

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from espace_prive.families.forms import TelInput, phone_validator
from espace_prive.families.models import Guardian
from espace_prive.families.validators import validate_child_birth_date
from espace_prive.notifications import SECURITY

from . import services, throttle
from .emails import absolute_url, send_mail_after_commit
from .models import Registration

PASSWORD_HELP = (
    "Au moins 12 caractères. Une phrase facile à retenir convient très bien "
    "(par exemple « le chat dort sur 3 coussins verts ») ; tous les caractères sont "
    "acceptés, sans obligation de chiffre ni de symbole. Les mots de passe trop courants "
    "sont refusés."
)
MAX_REGISTRATION_CHILDREN = 4


def password_field(label="Mot de passe", help_text=PASSWORD_HELP):
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def current_password_field():
    return forms.CharField(
        label="Mot de passe actuel",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class NewPasswordMixin:
    """Two password fields, checked against the validators for ``password_user()``."""

    def password_user(self):
        """The user the new password is for (each form using the mixin says which)."""
        raise NotImplementedError(f"{type(self).__name__} must define password_user()")

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif password1:
            try:
                password_validation.validate_password(password1, self.password_user())
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# --- Sign-in -------------------------------------------------------------------------


class LockoutAuthenticationMixin:
    """Sign-in through ``services.credentials_check``: lockout per (account, IP), journal."""

    channel = "portail"

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            try:
                self.user_cache = services.credentials_check(
                    request=self.request, email=email, password=password, channel=self.channel
                )
            except throttle.Locked as locked:
                raise ValidationError(locked.message, code="locked") from None
            except services.InvalidCredentials as error:
                raise ValidationError(error.message, code="invalid_login") from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class EmailAuthenticationForm(LockoutAuthenticationMixin, AuthenticationForm):
    """Sign-in with the e-mail address, labelled for people not at ease with forms."""

    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie "
            "(les majuscules comptent dans le mot de passe)."
        ),
        "inactive": "Ce compte est désactivé.",
    }


class AdminLoginForm(LockoutAuthenticationMixin, WagtailLoginForm):
    """The Wagtail admin's sign-in form, with the same lockout and journal."""

    channel = "admin"


# --- Passwords -----------------------------------------------------------------------


class PasswordResetForm(DjangoPasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail de votre compte",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Sent after commit, like every e-mail of the portal; links use the public URL."""
        send_mail_after_commit(
            to=to_email,
            subject="Réinitialisation de votre mot de passe",
            template="password_reset",
            kind=SECURITY,
            context={
                **context,
                "link": absolute_url(
                    "espace_prive:accounts:password_reset_confirm",
                    context["uid"],
                    context["token"],
                ),
            },
        )


class RulesUnderNewPasswordMixin:
    """Django reports a password breaking the rules under the confirmation field; we
    report it under the new password, where the rules are stated (as at registration)."""

    def validate_password_for_user(self, user, *args, **kwargs):
        # Django passes "new_password2"; it is left in cleaned_data only when both match.
        if "new_password2" in self.cleaned_data:
            super().validate_password_for_user(user, "new_password1")


class SetPasswordForm(RulesUnderNewPasswordMixin, DjangoSetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = "Nouveau mot de passe (confirmation)"
        self.fields["new_password2"].help_text = ""


def _reauthenticate(form, password, purpose):
    """The current password, checked with the sign-in lockout (never an open oracle)."""
    try:
        services.password_reauthenticate(
            request=form.request, user=form.user, password=password, purpose=purpose
        )
    except throttle.Locked as locked:
        raise ValidationError(locked.message, code="locked") from None
    except services.InvalidCredentials as error:
        raise ValidationError(error.message, code="password_incorrect") from None
    return password


class PasswordChangeForm(RulesUnderNewPasswordMixin, DjangoPasswordChangeForm):
    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["old_password"].label = "Mot de passe actuel"
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = "Nouveau mot de passe (confirmation)"
        self.fields["new_password2"].help_text = ""

    def clean_old_password(self):
        return _reauthenticate(self, self.cleaned_data["old_password"], "password_change")


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label="Nouvelle adresse e-mail",
        help_text="Un lien de confirmation y sera envoyé : l'adresse change quand vous le suivez.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = current_password_field()

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self):
        return _reauthenticate(self, self.cleaned_data["password"], "email_change")


# --- Invitations ----------------------------------------------------------------------


class InvitationPasswordForm(NewPasswordMixin, forms.Form):
    password1 = password_field("Choisissez votre mot de passe")
    password2 = password_field("Confirmez le mot de passe", help_text="")

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def password_user(self):
        guardian = self.invitation.guardian
        return get_user_model()(
            email=self.invitation.email,
            first_name=guardian.first_name,
            last_name=guardian.last_name,
        )


class AccessCodeForm(forms.Form):
    code = forms.CharField(
        label="Code d'accès",
        max_length=30,
        help_text="Il figure sur le courrier de la mairie, par exemple ABCD-EFGH-JKMN.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class LetterAccountForm(NewPasswordMixin, forms.Form):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        help_text="Elle servira à vous connecter ; un lien de confirmation vous y sera envoyé.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = password_field("Choisissez votre mot de passe")
    password2 = password_field("Confirmez le mot de passe", help_text="")

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError("Cette adresse e-mail est déjà utilisée par un autre compte.")
        return email

    def password_user(self):
        guardian = self.invitation.guardian
        return get_user_model()(
            email=self.cleaned_data.get("email", ""),
            first_name=guardian.first_name,
            last_name=guardian.last_name,
        )


class PartnerInviteForm(forms.Form):
    civility = forms.ChoiceField(
        label="Civilité", choices=Guardian.Civility.choices, required=False
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="L'invitation y est envoyée ; elle deviendra son identifiant de connexion.",
    )

    def __init__(self, *args, email_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = email_required
        if not email_required:
            self.fields[
                "email"
            ].help_text = "Sans adresse e-mail, une lettre avec un code d'accès est à imprimer."

    def clean_email(self):
        # A family is not told whether the address has a login (no enumeration): the
        # service answers as usual and tells the owner of the address instead.
        return self.cleaned_data["email"].lower()


# --- Pré-inscription ------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegistrationForm(NewPasswordMixin, forms.Form):
    """The pré-inscription: the responsable, the address, the children, the password.

    Children come as numbered groups of fields (no JavaScript needed); at least one.
    """

    civility = forms.ChoiceField(
        label="Civilité", choices=Registration.Civility.choices, required=False
    )
    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Elle servira à vous connecter ; un lien de confirmation vous y sera envoyé.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mobile_phone = forms.CharField(
        label="Téléphone portable",
        max_length=30,
        required=False,
        validators=[phone_validator],
        widget=TelInput(),
    )
    address = forms.CharField(
        label="Adresse",
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_complement = forms.CharField(
        label="Complément d'adresse",
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    postcode = forms.RegexField(
        label="Code postal",
        regex=r"^\d{5}$",
        error_messages={"invalid": "Le code postal comporte 5 chiffres."},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(
        label="Commune",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    password1 = password_field("Choisissez un mot de passe")
    password2 = password_field("Confirmez le mot de passe", help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_REGISTRATION_CHILDREN + 1):
            self.fields[f"child_{n}_first_name"] = forms.CharField(
                label=f"Prénom de l'enfant {n}", max_length=150, required=False
            )
            self.fields[f"child_{n}_last_name"] = forms.CharField(
                label=f"Nom de l'enfant {n}", max_length=150, required=False
            )
            self.fields[f"child_{n}_birth_date"] = forms.DateField(
                label=f"Date de naissance de l'enfant {n}",
                required=False,
                widget=DateInput(),
                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
            )

    ACCOUNT_FIELDS = ("civility", "first_name", "last_name", "email", "mobile_phone")
    ADDRESS_FIELDS = ("address", "address_complement", "postcode", "city")

    def account_fields(self):
        return [self[name] for name in self.ACCOUNT_FIELDS]

    def address_fields(self):
        return [self[name] for name in self.ADDRESS_FIELDS]

    def password_fields(self):
        return [self["password1"], self["password2"]]

    def child_groups(self):
        return [
            (n, [self[f"child_{n}_{part}"] for part in ("first_name", "last_name", "birth_date")])
            for n in range(1, MAX_REGISTRATION_CHILDREN + 1)
        ]

    def clean_email(self):
        # Whether the address has a login is not said here (no enumeration): the
        # service tells the owner of the address by e-mail instead.
        return self.cleaned_data["email"].lower()

    def password_user(self):
        return get_user_model()(
            email=self.cleaned_data.get("email", ""),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )

    def clean(self):
        cleaned = super().clean()
        children = []
        today = timezone.localdate()
        for n in range(1, MAX_REGISTRATION_CHILDREN + 1):
            names = [f"child_{n}_{part}" for part in ("first_name", "last_name", "birth_date")]
            values = [cleaned.get(name) for name in names]
            if not any(values) and not any(self.errors.get(name) for name in names):
                continue
            for name, value in zip(names, values, strict=True):
                if not value and name not in self.errors:
                    self.add_error(name, "Ce champ est obligatoire pour cet enfant.")
            birth_date = values[2]
            if birth_date and birth_date > today:
                self.add_error(names[2], "La date de naissance ne peut pas être dans le futur.")
            elif birth_date and birth_date < datetime.date(1990, 1, 1):
                self.add_error(names[2], "Vérifiez l'année de naissance.")
            elif birth_date:
                try:
                    validate_child_birth_date(birth_date)
                except ValidationError as error:
                    self.add_error(names[2], error)
            if all(values):
                children.append(
                    {"first_name": values[0], "last_name": values[1], "birth_date": values[2]}
                )
        if not children and not any(name.startswith("child_") for name in self.errors):
            self.add_error("child_1_first_name", "Indiquez au moins un enfant.")
        cleaned["children"] = children
        return cleaned


# --- Second factor -------------------------------------------------------------------


class OTPCodeForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        max_length=20,
        help_text="Le code à 6 chiffres affiché par votre application, ou un code de secours.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )


class OTPEnrolForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres affiché par l'application",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class PasswordConfirmForm(forms.Form):
    password = current_password_field()


# --- Staff (Wagtail admin) ----------------------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Encodage UTF-8 (ou Windows), séparateur point-virgule ou virgule.",
    )


class ImportConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        help_text="Il est envoyé au demandeur par e-mail.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class StaffPartnerInviteForm(PartnerInviteForm):
    reference = forms.CharField(label="Référence du dossier famille", max_length=30)

    field_order = ["reference", "civility", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, email_required=False, **kwargs)

    def clean_email(self):
        email = super().clean_email()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError("Cette adresse e-mail est déjà celle d'un compte du portail.")
        return email

    def clean_reference(self):
        from espace_prive.families.models import Family

        reference = self.cleaned_data["reference"].strip()
        family = Family.objects.filter(reference__iexact=reference).first()
        if family is None:
            raise ValidationError("Aucune famille n'a cette référence.")
        self.family = family
        return family.reference
