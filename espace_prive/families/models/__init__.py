"""Models of the families app, one module an area; everything is re-exported here."""

from .base import (
    AllowanceBody,
    YesNo,
    private_storage,
)
from .family import (
    Family,
)
from .health import (
    Diet,
    HealthAccessContext,
    HealthAccessLog,
    HealthRecord,
    PickupPerson,
)
from .people import (
    Child,
    Guardian,
)

__all__ = [
    "AllowanceBody",
    "Child",
    "Diet",
    "Family",
    "Guardian",
    "GuardianRole",
    "HealthAccessContext",
    "HealthAccessLog",
    "HealthRecord",
    "PickupPerson",
    "YesNo",
    "private_storage",
]
