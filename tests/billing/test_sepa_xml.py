"""The pain.008.001.02 file of a batch validates against the official ISO 20022 XSD
(tests/billing/xsd/), with one payment block per sequence type, the right counts and
sums, the mandates, the régie's ICS, SEPA characters only."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from espace_prive.billing import services
from tests.billing.factories import book, make_billing_setup, school_days
from tests.billing.sepa_helpers import (
    COLLECTION,
    ICS,
    REGIE_IBAN,
    TODAY,
    issue_december,
    mandate_family,
    sepa_regie,
)

pytestmark = pytest.mark.django_db

XSD = Path(__file__).parent / "xsd" / "pain.008.001.02.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
JANUARY = datetime.date(2027, 1, 1)
FEBRUARY_FIRST = datetime.date(2027, 2, 1)


def validate(xml):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log
    return document


def texts(node, path):
    return [element.text for element in node.xpath(path, namespaces=NS)]


def test_the_exported_file_is_valid_pain_008_001_02():
    setup = make_billing_setup()
    sepa_regie(setup["regie"])
    recurring = mandate_family(setup, days=2)
    december = issue_december(setup)
    earlier = services.sepa_batch_create(
        regie=setup["regie"],
        collection_date=COLLECTION,
        invoices=[december[recurring.pk]],
        actor=None,
        today=TODAY,
    )
    services.sepa_batch_export(batch=earlier, actor=None)
    services.sepa_batch_settle(batch=earlier, actor=None, today=COLLECTION)

    first = mandate_family(setup, days=0, account_holder="Éloïse Müller & fils", rum="RUM/ÉTÉ-26")
    no_bic = mandate_family(setup, days=0)
    no_bic.bic = ""
    no_bic.save()
    for family, count in ((recurring, 1), (first, 3), (no_bic, 2)):
        for day in school_days(month=JANUARY, count=count):
            book(family.children.get(), setup, day)
    january = issue_december(setup, month=JANUARY, today=FEBRUARY_FIRST)
    batch = services.sepa_batch_create(
        regie=setup["regie"],
        collection_date=datetime.date(2027, 2, 10),
        invoices=list(january.values()),
        actor=None,
        today=FEBRUARY_FIRST,
    )
    xml = services.sepa_batch_export(batch=batch, actor=None)
    document = validate(xml)

    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    total = sum(invoice.total for invoice in january.values())
    assert texts(document, "//p:GrpHdr/p:MsgId") == [batch.message_id]
    assert texts(document, "//p:GrpHdr/p:NbOfTxs") == ["3"]
    assert texts(document, "//p:GrpHdr/p:CtrlSum") == [str(total)]
    assert texts(document, "//p:PmtInf/p:PmtTpInf/p:SeqTp") == ["FRST", "RCUR"]
    assert texts(document, "//p:PmtInf/p:NbOfTxs") == ["2", "1"]
    assert texts(document, "//p:ReqdColltnDt") == ["2027-02-10", "2027-02-10"]
    assert set(texts(document, "//p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id")) == {ICS}
    assert set(texts(document, "//p:CdtrAcct/p:Id/p:IBAN")) == {REGIE_IBAN}
    [rcur] = document.xpath("//p:PmtInf[p:PmtTpInf/p:SeqTp='RCUR']", namespaces=NS)
    assert texts(rcur, ".//p:MndtId") == [recurring.sepa_mandate_reference]
    assert texts(rcur, ".//p:InstdAmt") == [str(january[recurring.pk].total)]
    assert rcur.xpath(".//p:InstdAmt/@Ccy", namespaces=NS) == ["EUR"]
    assert texts(document, "//p:DtOfSgntr") == ["2026-09-01"] * 3
    # Accents and signs outside the SEPA set are transliterated or dropped.
    assert "Eloise Muller fils" in texts(document, "//p:Dbtr/p:Nm")
    assert "RUM/ETE-26" in texts(document, "//p:MndtId")
    assert "NOTPROVIDED" in texts(document, "//p:DbtrAgt//p:Othr/p:Id")
    numbers = {f"Facture {invoice.number}" for invoice in january.values()}
    assert set(texts(document, "//p:RmtInf/p:Ustrd")) == numbers
    assert sum(Decimal(a) for a in texts(document, "//p:DrctDbtTxInf/p:InstdAmt")) == total


def test_a_broken_file_fails_the_schema():
    """The check can fail: a transaction without its mandate is refused by the XSD."""
    setup = make_billing_setup()
    sepa_regie(setup["regie"])
    family = mandate_family(setup)
    invoice = issue_december(setup)[family.pk]
    batch = services.sepa_batch_create(
        regie=setup["regie"],
        collection_date=COLLECTION,
        invoices=[invoice],
        actor=None,
        today=TODAY,
    )
    xml = services.sepa_batch_export(batch=batch, actor=None)
    validate(xml)
    broken = xml.replace(b"<SeqTp>FRST</SeqTp>", b"<SeqTp>ONCE</SeqTp>")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert not schema.validate(etree.fromstring(broken))
