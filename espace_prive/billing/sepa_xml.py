"""The pain.008.001.02 file of a batch of direct debits (ISO 20022, SEPA Core), written
with the standard library: one payment information block per sequence type (FRST,
RCUR), the régie as creditor with its ICS, one transaction per debit with its mandate.

Checked against the official XSD in ``tests/billing/test_sepa_xml.py``.
"""

from decimal import Decimal
from xml.etree import ElementTree as ET

from .sepa_rules import sepa_text

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"
NOT_PROVIDED = "NOTPROVIDED"


def _add(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = str(text)
    return element


def _amount(value):
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def _agent(parent, tag, bic):
    institution = _add(_add(parent, tag), "FinInstnId")
    if bic:
        _add(institution, "BIC", bic)
    else:  # an IBAN-only debit (allowed since 2016 inside the SEPA area)
        _add(_add(institution, "Othr"), "Id", NOT_PROVIDED)


def _payment_information(root, *, batch, regie, sequence_type, debits):
    info = _add(root, "PmtInf")
    _add(info, "PmtInfId", f"{batch.message_id}-{sequence_type}")
    _add(info, "PmtMtd", "DD")
    _add(info, "BtchBookg", "true")
    _add(info, "NbOfTxs", len(debits))
    _add(info, "CtrlSum", _amount(sum(d.amount for d in debits)))
    kind = _add(info, "PmtTpInf")
    _add(_add(kind, "SvcLvl"), "Cd", "SEPA")
    _add(_add(kind, "LclInstrm"), "Cd", "CORE")
    _add(kind, "SeqTp", sequence_type)
    _add(info, "ReqdColltnDt", batch.collection_date.isoformat())
    _add(_add(info, "Cdtr"), "Nm", sepa_text(regie.creditor_name, 70))
    _add(_add(_add(info, "CdtrAcct"), "Id"), "IBAN", regie.sepa_iban)
    _agent(info, "CdtrAgt", regie.sepa_bic)
    _add(info, "ChrgBr", "SLEV")
    scheme = _add(_add(_add(_add(info, "CdtrSchmeId"), "Id"), "PrvtId"), "Othr")
    _add(scheme, "Id", regie.sepa_creditor_id)
    _add(_add(scheme, "SchmeNm"), "Prtry", "SEPA")
    for debit in debits:
        transaction = _add(info, "DrctDbtTxInf")
        _add(_add(transaction, "PmtId"), "EndToEndId", debit.end_to_end_id)
        _add(transaction, "InstdAmt", _amount(debit.amount), Ccy="EUR")
        mandate = _add(_add(transaction, "DrctDbtTx"), "MndtRltdInf")
        _add(mandate, "MndtId", sepa_text(debit.mandate_reference, 35))
        _add(mandate, "DtOfSgntr", debit.mandate_signed_on.isoformat())
        _add(mandate, "AmdmntInd", "false")
        _agent(transaction, "DbtrAgt", debit.bic)
        _add(_add(transaction, "Dbtr"), "Nm", sepa_text(debit.debtor_name, 70) or NOT_PROVIDED)
        _add(_add(_add(transaction, "DbtrAcct"), "Id"), "IBAN", debit.iban)
        _add(_add(transaction, "RmtInf"), "Ustrd", sepa_text(debit.remittance, 140))


def pain008(*, batch, debits, created_at):
    """The file (bytes, UTF-8) of ``debits`` (each with a ``remittance`` text)."""
    regie = batch.regie
    document = ET.Element("Document", xmlns=NAMESPACE)
    root = _add(document, "CstmrDrctDbtInitn")
    header = _add(root, "GrpHdr")
    _add(header, "MsgId", batch.message_id)
    _add(header, "CreDtTm", created_at.replace(microsecond=0).isoformat())
    _add(header, "NbOfTxs", len(debits))
    _add(header, "CtrlSum", _amount(sum(d.amount for d in debits)))
    party = _add(header, "InitgPty")
    _add(party, "Nm", sepa_text(regie.creditor_name, 70))
    if regie.siret:
        organisation = _add(_add(_add(party, "Id"), "OrgId"), "Othr")
        _add(organisation, "Id", regie.siret)
        _add(_add(organisation, "SchmeNm"), "Prtry", "SIRET")
    for sequence_type in ("FRST", "RCUR"):
        group = [d for d in debits if d.sequence_type == sequence_type]
        if group:
            _payment_information(
                root, batch=batch, regie=regie, sequence_type=sequence_type, debits=group
            )
    ET.indent(document)
    text = ET.tostring(document, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'.encode()
