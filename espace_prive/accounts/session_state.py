"""Facts about the signed-in user kept in the session, so that the middlewares do not
query them on every request: whether a second factor is enrolled, whether the login is
an applicant's. Set at sign-in, refreshed by the views that change them; other
sessions are ended when a second factor is enrolled or removed."""

from .selectors import user_has_second_factor, user_is_applicant

HAS_SECOND_FACTOR_KEY = "_portail_has_second_factor"
APPLICANT_KEY = "_portail_applicant"


def session_state_refresh(request, user):
    request.session[HAS_SECOND_FACTOR_KEY] = user_has_second_factor(user)
    request.session[APPLICANT_KEY] = user_is_applicant(user)


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
