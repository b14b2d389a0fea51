"""PostgreSQL only: tariff grids of a service never overlap in time, QF bands of a grid
never overlap. Range types are indexed by GiST natively, so no extension is needed
(the grid or service id is turned into a one-value range). Other databases rely on the
validation in catalogue.services."""

from django.db import migrations

CONSTRAINTS = [
    (
        "catalogue_tariffgrid",
        "catalogue_tariffgrid_no_overlap",
        "EXCLUDE USING gist (int8range(service_id, service_id + 1) WITH &&, "
        "daterange(valid_from, valid_until, '[]') WITH &&)",
    ),
    (
        "catalogue_tariffband",
        "catalogue_band_no_overlap",
        "EXCLUDE USING gist (int8range(grid_id, grid_id + 1) WITH &&, "
        "int8range(qf_min, qf_max) WITH &&)",
    ),
]


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, definition in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, _definition in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_services_and_tariffs")]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
