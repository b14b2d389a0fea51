"""Load the shipped school-holiday dataset and a first list of absence reasons (the
town then edits the list in the admin)."""

from django.db import migrations

REASONS = [
    # code, label, billable, waived with certificate, delay (h), details required
    ("maladie", "Maladie", True, True, 48, False),
    ("rendez-vous-medical", "Rendez-vous médical", True, True, 48, False),
    ("convenance-personnelle", "Convenance personnelle", True, False, None, False),
    ("autre", "Autre", True, False, None, True),
]


def load(apps, schema_editor):
    from espace_prive.bookings import school_holidays

    school_holidays.school_holidays_import(
        holidays=school_holidays.parse_file(school_holidays.DATASET_PATH),
        model=apps.get_model("bookings", "SchoolHoliday"),
    )
    reason_model = apps.get_model("bookings", "AbsenceReason")
    for order, (code, label, billable, waived, delay, details) in enumerate(REASONS):
        reason_model.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "billable": billable,
                "waived_with_certificate": waived,
                "certificate_delay_hours": delay,
                "requires_details": details,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
