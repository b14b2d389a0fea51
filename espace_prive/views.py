from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """Home of the espace famille: who is signed in and where to go next."""
    return render(request, "espace_prive/home.html")
