"""The invoice's PDF (private storage), made after the issue: the immutability trigger
now lets an issued invoice receive its PDF once (empty → a name), every other column
unchanged; anything else on an issued invoice is still refused."""

from django.db import migrations, models

import espace_prive.families.models.base

FORWARD = """
CREATE OR REPLACE FUNCTION billing_forbid_issued_invoice_change() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'emise' THEN
        IF TG_OP = 'UPDATE' AND OLD.pdf = '' AND NEW.pdf <> ''
           AND (to_jsonb(NEW) - 'pdf') = (to_jsonb(OLD) - 'pdf') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'billing: issued invoice % is immutable', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION billing_forbid_issued_invoice_change() RETURNS trigger AS $$
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
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_staff_groups")]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="pdf",
            field=models.FileField(
                blank=True,
                editable=False,
                max_length=255,
                storage=espace_prive.families.models.base.private_storage,
                upload_to="factures/",
                verbose_name="PDF",
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
