from django.urls import path

from .views import auth, invitations, otp, registration

app_name = "accounts"

urlpatterns = [
    path("", auth.account, name="account"),
    path("connexion/", auth.LoginView.as_view(), name="login"),
    path("deconnexion/", auth.LogoutView.as_view(), name="logout"),
    # Passwords
    path("mot-de-passe/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe-oublie/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        auth.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # E-mail address
    path("adresse-e-mail/", auth.email_change, name="email_change"),
    path(
        "adresse-e-mail/renvoyer-le-lien/",
        auth.email_confirmation_resend,
        name="email_confirmation_resend",
    ),
    path("adresse-e-mail/confirmer/<str:token>/", auth.email_confirm, name="email_confirm"),
    # Invitations: by e-mail link, by letter (access code); the conjoint's login
    path(
        "invitation/choisir-mot-de-passe/",
        invitations.invitation_password,
        name="invitation_password",
    ),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("activer/", invitations.access_code, name="access_code"),
    path("activer/mon-compte/", invitations.access_code_account, name="access_code_account"),
    path("inviter-le-second-responsable/", invitations.partner_invite, name="partner_invite"),
    # Pré-inscription
    path("pre-inscription/", registration.register, name="register"),
    path("ma-demande/", registration.registration_status, name="registration_status"),
    # Two-factor authentication
    path("double-authentification/", otp.otp_overview, name="otp_overview"),
    path("double-authentification/activer/", otp.otp_enrol, name="otp_enrol"),
    path("double-authentification/qr-code.svg", otp.otp_qrcode, name="otp_qrcode"),
    path("double-authentification/verification/", otp.otp_verify, name="otp_verify"),
    path(
        "double-authentification/codes-de-secours/",
        otp.otp_backup_codes,
        name="otp_backup_codes",
    ),
    path("double-authentification/desactiver/", otp.otp_disable, name="otp_disable"),
]
