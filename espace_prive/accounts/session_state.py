"""Facts about the signed-in user kept in the session, so that the middlewares do not
query them on every request: whether a second factor is enrolled, whether the login is
an applicant's, whether it belongs to the back office (staff flag, or the Wagtail admin
permission given directly or through a group). Set at sign-in, refreshed by the views
that change them; other sessions are ended when a second factor is enrolled or removed."""

from .selectors import user_has_second_factor, user_is_applicant, user_is_back_office

HAS_SECOND_FACTOR_KEY = "_portail_has_second_factor"
APPLICANT_KEY = "_portail_applicant"
BACK_OFFICE_KEY = "_portail_back_office"


def session_state_refresh(request, user):
    request.session[HAS_SECOND_FACTOR_KEY] = user_has_second_factor(user)
    request.session[APPLICANT_KEY] = user_is_applicant(user)
    request.session[BACK_OFFICE_KEY] = user_is_back_office(user)


def _cached(request, key, compute):
    value = request.session.get(key)
    if value is None:
        value = compute(request.user)
        request.session[key] = value
    return value


def session_has_second_factor(request):
    return _cached(request, HAS_SECOND_FACTOR_KEY, user_has_second_factor)


def session_is_applicant(request):
    return _cached(request, APPLICANT_KEY, user_is_applicant)


def session_is_back_office(request):
    return _cached(request, BACK_OFFICE_KEY, user_is_back_office)


def session_mark_back_office(request):
    """The permission check of an admin path found a back-office user: remember it."""
    if request.session.get(BACK_OFFICE_KEY) is not True:
        request.session[BACK_OFFICE_KEY] = True
