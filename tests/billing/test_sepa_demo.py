"""The demo's SEPA family (espace_prive/billing/demo_sepa.py, run by seed_demo): the
Bernards hold a mandate, their canteen invoice was collected by a settled debit whose
file validates against the XSD; seeding again adds nothing."""

import pytest
from django.core.management import call_command
from lxml import etree

from espace_prive.billing import services
from espace_prive.billing.models import Debit, DebitBatch, Payment
from tests.billing.test_sepa_xml import XSD

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_sepa_family_with_a_settled_debit():
    call_command("seed_demo")
    debit = Debit.objects.select_related("batch", "invoice", "family").get()
    family = debit.family
    assert family.reference and family.has_active_sepa_mandate
    assert debit.state == "preleve" and debit.batch.state == "regle"
    assert debit.payment.method == "prelevement"
    assert debit.payment.received_on == debit.batch.collection_date
    assert services.invoice_remaining(debit.invoice) == 0
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.fromstring(debit.batch.xml.encode()))
    call_command("seed_demo")
    assert Debit.objects.count() == 1 and DebitBatch.objects.count() == 1
    assert Payment.objects.filter(family=family).count() == 1
