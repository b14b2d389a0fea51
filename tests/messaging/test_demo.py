"""The demo has documents in every state, unread messages for the Martins and a message
to the école Jules-Ferry families (issue 10.9)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from espace_prive.accounts import demo as accounts_demo
from espace_prive.catalogue.models import Site
from espace_prive.documents.models import Document
from espace_prive.families.models import Family
from espace_prive.messaging import selectors
from espace_prive.messaging.models import Broadcast, Thread

pytestmark = pytest.mark.django_db


def test_the_demo_documents_and_messages():
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    martin = Family.objects.get(reference="FAM-00001")
    documents = Document.objects.filter(family=martin)
    assert {d.state for d in documents} == {"accepte", "en_attente", "refuse"}
    assert any(d.is_expired_on(timezone.localdate()) for d in documents)
    sophie = martin.guardians.get(role="responsable").user
    assert sophie.email == accounts_demo.FAMILY_EMAIL
    assert selectors.unread_count_for_family(martin, sophie) >= 2
    assert Thread.objects.filter(family=martin, broadcast=None).count() == 2
    broadcast = Broadcast.objects.get()
    school = Site.objects.get(name="École élémentaire Jules-Ferry")
    reached = set(Thread.objects.filter(broadcast=broadcast).values_list("family_id", flat=True))
    assert reached == set(
        Family.objects.filter(children__school=school).values_list("pk", flat=True)
    )
    assert broadcast.state == Broadcast.State.DONE
