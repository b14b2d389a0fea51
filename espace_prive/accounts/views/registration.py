"""Pré-inscription: a new family asks for an account, then follows its request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .. import services
from ..forms import RegistrationForm
from ..selectors import guardian_for_user, latest_registration_for_user
from ..session_state import session_state_refresh

REGISTRATION_SENT = (
    "Votre demande est enregistrée. Nous vous avons envoyé un e-mail : confirmez votre "
    "adresse grâce au lien qu'il contient, puis connectez-vous ici pour suivre votre demande."
)


def register(request):
    if request.user.is_authenticated:
        return redirect("espace_prive:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            name: data[name]
            for name in RegistrationForm.ACCOUNT_FIELDS + RegistrationForm.ADDRESS_FIELDS
            if name != "email"
        }
        try:
            services.registration_submit(
                email=data["email"],
                password=data["password1"],
                children=data["children"],
                request=request,
                **fields,
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            # The same answer whether or not the address already had a login (no
            # enumeration): the applicant signs in to follow the request.
            messages.success(request, REGISTRATION_SENT)
            return redirect("espace_prive:accounts:login")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def registration_status(request):
    """Where an applicant follows the request; families already accepted go home."""
    if guardian_for_user(request.user) is not None:  # accepted meanwhile
        session_state_refresh(request, request.user)
        return redirect("espace_prive:home")
    registration = latest_registration_for_user(request.user)
    if registration is None:
        return redirect("espace_prive:home")
    return render(request, "accounts/registration_status.html", {"registration": registration})
