"""PostgreSQL triggers: an issued invoice, its lines, what it covers, and a credit note
can be neither updated nor deleted (a line cannot be added to an issued invoice either).

Other databases (SQLite in quick local runs) skip them: the services never write them.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION billing_forbid_issued_invoice_change() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'emise' THEN
        RAISE EXCEPTION 'billing: issued invoice % is immutable', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_invoice_immutable
    BEFORE UPDATE OR DELETE ON billing_invoice
    FOR EACH ROW EXECUTE FUNCTION billing_forbid_issued_invoice_change();

CREATE FUNCTION billing_forbid_issued_child_change() RETURNS trigger AS $$
DECLARE
    target integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        target := NEW.invoice_id;
    ELSE
        target := OLD.invoice_id;
    END IF;
    IF TG_TABLE_NAME = 'billing_invoiceservice' AND TG_OP = 'INSERT' THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'billing_invoiceservice'
       OR EXISTS (SELECT 1 FROM billing_invoice WHERE id = target AND state = 'emise')
       OR (TG_OP = 'UPDATE'
           AND EXISTS (SELECT 1 FROM billing_invoice WHERE id = NEW.invoice_id AND state = 'emise'))
    THEN
        RAISE EXCEPTION 'billing: % of an issued invoice is immutable', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_invoiceline_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON billing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION billing_forbid_issued_child_change();

CREATE TRIGGER billing_invoiceservice_immutable
    BEFORE UPDATE OR DELETE ON billing_invoiceservice
    FOR EACH ROW EXECUTE FUNCTION billing_forbid_issued_child_change();

CREATE FUNCTION billing_forbid_document_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'billing: % is immutable', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_creditnote_immutable
    BEFORE UPDATE OR DELETE ON billing_creditnote
    FOR EACH ROW EXECUTE FUNCTION billing_forbid_document_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS billing_creditnote_immutable ON billing_creditnote;
DROP TRIGGER IF EXISTS billing_invoiceservice_immutable ON billing_invoiceservice;
DROP TRIGGER IF EXISTS billing_invoiceline_immutable ON billing_invoiceline;
DROP TRIGGER IF EXISTS billing_invoice_immutable ON billing_invoice;
DROP FUNCTION IF EXISTS billing_forbid_document_change();
DROP FUNCTION IF EXISTS billing_forbid_issued_child_change();
DROP FUNCTION IF EXISTS billing_forbid_issued_invoice_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
