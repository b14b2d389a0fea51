"""Small factories for the domain: plain functions with sensible defaults."""

import datetime
import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from espace_prive.catalogue.models import Site
from espace_prive.families.models import Child, Family, Guardian
from tests.pdfs import valid_pdf

_sequence = itertools.count(1)

TEST_PASSWORD = "mot-de-passe-de-test-assez-long"


def make_user(*, email=None, password=TEST_PASSWORD, **fields):
    n = next(_sequence)
    return get_user_model().objects.create_user(
        email=email or f"utilisateur{n}@example.test", password=password, **fields
    )


def make_staff(*, email=None, superuser=False, **fields):
    user = make_user(email=email, is_staff=True, **fields)
    if superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user


def make_site(*, name=None, kind=Site.Kind.ELEMENTARY_SCHOOL, **fields):
    n = next(_sequence)
    return Site.objects.create(name=name or f"École {n}", kind=kind, **fields)


def make_family(*, reference=None, **fields):
    n = next(_sequence)
    return Family.objects.create(reference=reference or f"TEST-{n:05d}", **fields)


def make_guardian(*, family=None, user=None, role=Guardian.Role.PRIMARY, **fields):
    family = family or make_family()
    n = next(_sequence)
    fields.setdefault("first_name", f"Prénom{n}")
    fields.setdefault("last_name", f"Nom{n}")
    return Guardian.objects.create(family=family, user=user, role=role, **fields)


def make_child(*, family=None, birth_date=datetime.date(2018, 5, 1), **fields):
    family = family or make_family()
    n = next(_sequence)
    fields.setdefault("first_name", f"Enfant{n}")
    fields.setdefault("last_name", "Test")
    return Child.objects.create(family=family, birth_date=birth_date, **fields)


@dataclass(frozen=True)
class Persona:
    """A family and the account of its responsable 1, who signs in: ``family_a.family``,
    ``family_a.user``, ``family_a.child``.

    It still unpacks as ``family, user = family_a`` (and answers ``family_a.family``, for the
    tests not switched yet)."""

    family: Family
    user: object

    @property
    def child(self):
        """The family's only child, read again from the database."""
        return self.family.children.get()

    @property
    def guardian(self):
        """The family's only guardian, read again from the database."""
        return self.family.guardians.get()

    def __iter__(self):
        return iter((self.family, self.user))

    def __getitem__(self, index):
        return (self.family, self.user)[index]


def make_family_with_login(*, email=None, children=1):
    """A family whose responsable 1 can sign in, as a :class:`Persona`."""
    user = make_user(email=email)
    family = make_family()
    make_guardian(family=family, user=user, email=user.email)
    for _ in range(children):
        make_child(family=family)
    return Persona(family=family, user=user)


# --- Family file (issue 5) ---------------------------------------------------------------


def make_health_record(*, child, **fields):
    from espace_prive.families.models import HealthRecord

    return HealthRecord.objects.create(child=child, **fields)


def make_pickup_person(*, child, **fields):
    from espace_prive.families.models import PickupPerson

    n = next(_sequence)
    fields.setdefault("first_name", f"Personne{n}")
    fields.setdefault("last_name", "Autorisée")
    fields.setdefault("phone", "06 00 00 00 00")
    return PickupPerson.objects.create(child=child, **fields)


def make_change_request(*, family, section, values=None, actor=None, **targets):
    """A pending request made through the service (as a family would)."""
    from espace_prive.demandes.services import request_create

    return request_create(
        actor=actor, family=family, section=section, values=values or {}, **targets
    )


def make_phone_request(*, family, actor=None, guardian=None, mobile_phone="06 11 22 33 44"):
    """A pending change of a guardian's mobile phone (the family's only guardian unless
    ``guardian`` is given)."""
    guardian = guardian or family.guardians.get()
    values = {"mobile_phone": mobile_phone}
    return make_change_request(
        family=family, section="guardian_phones", guardian=guardian, actor=actor, values=values
    )


def make_allergy_request(*, family, actor=None, child=None, allergies="Pollen"):
    """A pending change of a child's allergies (the family's only child unless ``child``
    is given)."""
    child = child or family.children.get()
    values = {"allergies": allergies}
    return make_change_request(
        family=family, section="health_allergies", child=child, actor=actor, values=values
    )


def make_pickup_request(*, family, child, actor=None, person=None, phone="06 12 12 12 12"):
    """A pending change of the phone of a person allowed to pick ``child`` up (a new
    person unless ``person`` is given)."""
    person = person or make_pickup_person(child=child)
    values = {"phone": phone}
    return make_change_request(
        family=family, section="pickup_person", child=child, pickup_person=person,
        actor=actor, values=values,
    )  # fmt: skip


def make_registration(*, user=None, last_name=None, children=1, submitted_at=None, **fields):
    """A pré-inscription (pending unless ``status`` says otherwise) whose applicant has
    confirmed the e-mail address; ``user`` is made unless given. ``children`` is a number
    of children or the list of their first names; ``fields`` override the other values."""
    from django.utils import timezone

    from espace_prive.accounts.models import Registration

    n = next(_sequence)
    last_name = last_name or f"Demandeur{n}"
    if user is None:
        user = make_user(email=f"demandeur{n}@example.test", email_confirmed_at=timezone.now())
    values = {
        "email": user.email,
        "first_name": f"Prénom{n}",
        "address": f"{n} rue des Écoles",
        "postcode": "45000",
        "city": "Belval",
        **fields,
    }
    registration = Registration.objects.create(
        user=user,
        last_name=last_name,
        submitted_at=submitted_at or timezone.now(),
        **values,
    )
    if isinstance(children, int):
        children = [f"Enfant{i + 1}" for i in range(children)]
    for first_name in children:
        registration.children.create(
            first_name=first_name, last_name=last_name, birth_date=datetime.date(2019, 3, 1)
        )
    return registration


def make_staff_with_perms(*perms, email=None):
    """A staff member (not superuser) holding exactly ``perms`` ("app_label.codename")
    plus access to the Wagtail admin."""
    from django.contrib.auth.models import Permission

    user = make_staff(email=email)
    codes = [*perms, "wagtailadmin.access_admin"]
    for code in codes:
        app_label, codename = code.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def image_bytes(*, size=(1200, 900), image_format="JPEG", mode="RGB", exif=None, color="teal"):
    """An image made with Pillow, optionally with EXIF metadata."""
    import io

    from PIL import Image

    image = Image.new(mode, size, color)
    output = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(output, image_format, **options)
    return output.getvalue()


def uploaded(data, name="photo.jpg", content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


# A one-page PDF that passes the upload checks (made with pypdf: tests/pdfs.py).
MINIMAL_PDF = valid_pdf()


def make_requests_of_every_kind(*, family, actor=None, count, decider=None):
    """``count`` requests of one family, cycling through the kinds whose display touches
    other rows (school, child, person, guardian, file, additions); one in three decided by
    ``decider`` when given. For query-count tests."""
    import datetime as _datetime

    from django.core.files.base import ContentFile

    from espace_prive.demandes.services import request_accept, request_refuse

    made = []
    for n in range(count):
        child = make_child(family=family, school=make_site())
        kind = n % 6
        if kind == 0:
            values = {"school": make_site(), "class_level": "CP"}
            made.append(
                make_change_request(
                    family=family, section="child_schooling", child=child, actor=actor,
                    values=values,
                )
            )  # fmt: skip
        elif kind == 1:
            make_health_record(child=child)
            made.append(make_allergy_request(family=family, child=child, actor=actor))
        elif kind == 2:
            made.append(make_pickup_request(family=family, child=child, actor=actor))
        elif kind == 3:
            made.append(
                make_change_request(
                    family=family, section="pickup_person", child=child, actor=actor,
                    operation="ajout",
                    values={"first_name": f"Nouveau{n}", "last_name": "Voisin",
                            "phone": "06 13 13 13 13"},
                )
            )  # fmt: skip
        elif kind == 4:
            made.append(
                make_change_request(
                    family=family, section="child_photo", child=child, actor=actor,
                    values={"photo": ContentFile(image_bytes(size=(20, 20)), name="p.jpg")},
                )
            )  # fmt: skip
        else:
            made.append(
                make_change_request(
                    family=family, section="child_new", actor=actor, operation="ajout",
                    values={"first_name": f"Bébé{next(_sequence)}", "last_name": "Test",
                            "birth_date": _datetime.date(2024, 1, n % 28 + 1)},
                )
            )  # fmt: skip
        if decider is not None and n % 3 == 2:
            if n % 2:
                request_refuse(actor=decider, change_request=made[-1], reason="Pièce illisible")
            else:
                request_accept(actor=decider, change_request=made[-1])
    return made


# --- Documents and messages (issue 10) ------------------------------------------------


def document_type(code):
    from espace_prive.documents.models import DocumentType

    return DocumentType.objects.get(code=code)


def make_document(*, family, code="autre", child=None, actor=None, data=None, name="doc.pdf",
                  **fields):  # fmt: skip
    """A document sent through the service (pending), then ``fields`` set directly."""
    from espace_prive.documents.models import Document
    from espace_prive.documents.services import document_upload

    document = document_upload(
        actor=actor,
        family=family,
        document_type=document_type(code),
        child=child,
        file=uploaded(data or MINIMAL_PDF, name=name, content_type="application/pdf"),
    )
    if fields:
        Document.objects.filter(pk=document.pk).update(**fields)
        document.refresh_from_db()
    return document


def make_thread(*, family, actor, subject="Question", topic="autre", body="Bonjour"):
    from espace_prive.messaging.services import thread_start

    return thread_start(actor=actor, family=family, subject=subject, topic=topic, body=body)
