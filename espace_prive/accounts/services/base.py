"""Shared pieces of the accounts services: constants, errors, link messages."""

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"
API_TOKEN_PREFIX = "pf_"
EMAIL_CONFIRMATION_SALT = "accounts.email-confirmation"


class AccountError(Exception):
    """A refusal to show as is (in French) to the person who asked."""

    code = "invalid"

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidCredentials(AccountError):
    code = "invalid_credentials"


class InvalidCode(AccountError):
    code = "otp_invalid"


class SecondFactorWait(InvalidCode):
    """django-otp delays a device after each wrong code: say so, rather than refusing a
    right code typed too soon as if it were wrong."""

    code = "otp_wait"


class LinkInvalid(AccountError):
    """A link, code or token that is unknown, expired or already used."""


LINK_UNKNOWN = "Ce lien n'est pas valable. Vérifiez qu'il a été copié en entier."
LINK_EXPIRED = "Ce lien a expiré."
LINK_USED = "Ce lien a déjà été utilisé."
