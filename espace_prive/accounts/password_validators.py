"""Password validators that know how French users choose weak passwords.

Django's own validators stay in ``AUTH_PASSWORD_VALIDATORS`` (length, English common
list, similarity to the user's attributes); these two add what they miss:

- ``FrenchCommonPasswordValidator``: a French list (``passwords/README.md`` says where it
  comes from), checked not only as a whole but also once the digits and symbols around a
  word are taken away (``motdepasse123``, ``2024Soleil!!``), with accents, case and the
  usual letter-for-digit swaps (``s0leil``) folded;
- ``PersonalInformationValidator``: the user's own names, e-mail and the town's name,
  with or without digits and punctuation around them.

Every place that sets a password calls ``validate_password(password, user)``; a form
that has no user yet passes an unsaved one carrying the names typed.
"""

import functools
import gzip
import re
import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError

from espace_prive.town import town_name

LIST_PATH = Path(__file__).with_name("passwords") / "french-common-passwords.txt.gz"
# A word with fewer letters than this, once digits and symbols are taken away, is no
# protection: what is left is guessed like a number.
MIN_CORE_LETTERS = 4
LEET = str.maketrans("013457@$", "oieastas")
SEPARATORS = re.compile(r"[\s._\-'’+]+")
# Words of a town's official name that say nothing about the town itself.
GENERIC_TOWN_WORDS = {
    "ville",
    "commune",
    "communes",
    "mairie",
    "communaute",
    "agglomeration",
    "metropole",
    "pays",
    "syndicat",
    "intercommunal",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "d",
    "l",
    "et",
    "en",
    "sur",
    "sous",
}


def fold(text):
    """Lower case, accents removed: « Été » and « ete » are the same password."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def core_of(password):
    """The password without the digits and symbols around it, folded, separators removed.

    ``Mot de passe 2024 !`` → ``motdepasse``; ``123456789012`` → ``""``.
    """
    folded = fold(password)
    start, end = 0, len(folded)
    while start < end and not folded[start].isalpha():
        start += 1
    while end > start and not folded[end - 1].isalpha():
        end -= 1
    return SEPARATORS.sub("", folded[start:end])


def core_variants(core):
    """The core as typed and with digits read as letters (``p4ssw0rd`` → ``password``)."""
    variants = {core, core.translate(LEET)}
    variants.add(core.replace("1", "l").translate(LEET))
    return variants


def is_repetition(word):
    """``soleilsoleil``, ``abcabcabc``: one short unit typed several times."""
    return len(word) > 1 and re.fullmatch(r"(.+?)\1+", word) is not None


@functools.cache
def french_common_passwords():
    with gzip.open(LIST_PATH, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


@functools.cache
def django_common_passwords():
    from django.contrib.auth.password_validation import CommonPasswordValidator

    return frozenset(CommonPasswordValidator().passwords)


class FrenchCommonPasswordValidator:
    """Refuses a common password, alone or with digits and symbols around it."""

    message = (
        "Ce mot de passe est trop courant : un mot ou un prénom très répandu, même suivi "
        "ou précédé de chiffres ou de symboles, se devine en quelques essais."
    )
    digits_message = (
        "Ce mot de passe est trop courant : une suite composée surtout de chiffres ou de "
        "symboles se devine en quelques essais."
    )

    def validate(self, password, user=None):
        lists = (french_common_passwords(), django_common_passwords())
        whole = SEPARATORS.sub("", fold(password))
        if any(whole in common for common in lists):
            raise ValidationError(self.message, code="password_too_common")
        core = core_of(password)
        if sum(c.isalpha() for c in core) < MIN_CORE_LETTERS:
            raise ValidationError(self.digits_message, code="password_too_common")
        for variant in core_variants(core):
            if is_repetition(variant) or any(variant in common for common in lists):
                raise ValidationError(self.message, code="password_too_common")

    def get_help_text(self):
        return (
            "Votre mot de passe ne peut pas être un mot de passe courant, même suivi de "
            "chiffres (comme « motdepasse123 »)."
        )


def town_words(name):
    """``Ville de Belval`` → {``villedebelval``, ``belval``}; ``Saint-Jean-de-Luz`` adds
    its distinctive words (``saint``, ``jean``, ``luz`` under 4 letters is dropped)."""
    words = [w for w in re.split(r"[^a-z0-9]+", fold(name)) if w]
    proper = [w for w in words if w not in GENERIC_TOWN_WORDS]
    candidates = {"".join(words), "".join(proper)}
    candidates.update(w for w in proper if len(w) >= MIN_CORE_LETTERS)
    return {c for c in candidates if len(c) >= 3}


def personal_words(user):
    """The user's first and last names and the parts of the e-mail's local part."""
    if user is None:
        return set()
    words = set()
    first = fold(getattr(user, "first_name", "") or "")
    last = fold(getattr(user, "last_name", "") or "")
    for name in (first, last):
        parts = [p for p in re.split(r"[^a-z0-9]+", name) if p]
        words.add("".join(parts))
        words.update(parts)
    words.add(SEPARATORS.sub("", first) + SEPARATORS.sub("", last))
    words.add(SEPARATORS.sub("", last) + SEPARATORS.sub("", first))
    local = fold((getattr(user, "email", "") or "").partition("@")[0])
    words.add(re.sub(r"[^a-z0-9]+", "", local))
    words.update(re.split(r"[^a-z0-9]+", local))
    return {w for w in words if len(w) >= 3}


class PersonalInformationValidator:
    """Refuses a password made of the user's names, e-mail or the town's name."""

    message = (
        "Ce mot de passe ressemble trop à votre nom, à votre adresse e-mail ou au nom de "
        "la commune, même avec des chiffres ou des symboles : choisissez autre chose."
    )

    def validate(self, password, user=None):
        words = personal_words(user) | town_words(town_name())
        core = core_of(password)
        for variant in core_variants(core):
            rest = variant
            for word in sorted(words, key=len, reverse=True):
                rest = rest.replace(word, "")
            if rest != variant and sum(c.isalpha() for c in rest) < MIN_CORE_LETTERS:
                raise ValidationError(self.message, code="password_too_similar")

    def get_help_text(self):
        return (
            "Votre mot de passe ne peut pas reprendre votre nom, votre adresse e-mail ni le "
            "nom de la commune."
        )
