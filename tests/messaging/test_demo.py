"""The demo has documents in every state, unread messages for the Martins, a message
to the école Jules-Ferry families (issue 10.9), and messages to the segments added
since: the families enrolled in a service at one site for the current school year, and
those of a class level."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from espace_prive.accounts import demo as accounts_demo
from espace_prive.bookings.models import Enrolment
from espace_prive.catalogue.models import Site
from espace_prive.documents.models import Document
from espace_prive.families.models import Family
from espace_prive.messaging import demo as messaging_demo
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
    broadcast = Broadcast.objects.get(subject=messaging_demo.BROADCAST_SUBJECT)
    school = Site.objects.get(name="École élémentaire Jules-Ferry")
    reached = set(Thread.objects.filter(broadcast=broadcast).values_list("family_id", flat=True))
    assert reached == set(
        Family.objects.filter(children__school=school).values_list("pk", flat=True)
    )
    assert broadcast.state == Broadcast.State.DONE

    assert Broadcast.objects.count() == 1 + len(messaging_demo.SEGMENT_BROADCASTS)
    canteen, cm1 = (
        Broadcast.objects.get(subject=subject)
        for subject, _body, _segment in messaging_demo.SEGMENT_BROADCASTS
    )
    assert canteen.service.slug == "restauration-scolaire"
    assert canteen.service_site.name == "École maternelle Les Tilleuls"
    assert canteen.school_year.starts_on <= timezone.localdate() <= canteen.school_year.ends_on
    enrolled = Enrolment.objects.filter(
        service=canteen.service, site=canteen.service_site, school_year=canteen.school_year,
        state=Enrolment.State.ACCEPTED,
    ).values_list("child__family_id", flat=True)  # fmt: skip
    reached = set(Thread.objects.filter(broadcast=canteen).values_list("family_id", flat=True))
    assert reached == set(enrolled) and martin.pk in reached  # Hugo eats at the Tilleuls
    assert canteen.state == Broadcast.State.DONE and canteen.families_count == len(reached)
    reached = set(Thread.objects.filter(broadcast=cm1).values_list("family_id", flat=True))
    assert reached and reached == set(
        Family.objects.filter(children__class_level="CM1").values_list("pk", flat=True)
    )
    assert cm1.state == Broadcast.State.DONE
