"""The attendance (pointage) billing reads over a month: the registers and their marks,
loaded in three queries at most whatever the number of families (``lines`` decides what
each means for the bill)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from espace_prive.attendance.models import MarkState
from espace_prive.attendance.selectors import marks_for_month, registers_for_month
from espace_prive.bookings.models import Enrolment, EnrolmentState

HERE = (MarkState.PRESENT, MarkState.GONE)


@dataclass
class MonthAttendance:
    today: datetime.date
    registers: dict = field(default_factory=dict)  # (site_id, unit_id, day) → Register
    marks: dict = field(default_factory=dict)  # (register_id, child_id) → Mark
    unbooked: list = field(default_factory=list)  # « présence sans réservation » marks
    enrolments: dict = field(default_factory=dict)  # (child_id, service_id) → [Enrolment]

    def register(self, site_id, unit_id, day):
        """The register of that site, unit and day if attendance was, or should have
        been, taken: a closed register, or one still open for a past day (the bill
        waits for it). A register open today or later is not taken yet."""
        register = self.registers.get((site_id, unit_id, day))
        if register is None or (not register.is_closed and day >= self.today):
            return None
        return register

    def mark(self, register, child_id):
        return self.marks.get((register.pk, child_id))

    def enrolment(self, mark):
        """The enrolment an unbooked presence is billed under: accepted at the
        register's site for a school year holding the day, else accepted elsewhere,
        else any (its state is then the anomaly)."""
        day = mark.register.day
        candidates = [
            e
            for e in self.enrolments.get((mark.child_id, mark.register.unit.service_id), [])
            if e.school_year.starts_on <= day <= e.school_year.ends_on
        ]
        candidates.sort(
            key=lambda e: (
                e.state != EnrolmentState.ACCEPTED,
                e.site_id != mark.register.site_id,
                e.pk,
            )
        )
        return candidates[0] if candidates else None


def month_attendance(*, start, end, service_ids, families=None, today=None):
    """The attendance of ``start``'s month for ``service_ids`` (``families`` only)."""
    taken = MonthAttendance(today=today or timezone.localdate())
    for register in registers_for_month(year=start.year, month=start.month, services=service_ids):
        taken.registers[(register.site_id, register.unit_id, register.day)] = register
    for mark in marks_for_month(
        year=start.year, month=start.month, services=service_ids, families=families
    ):
        taken.marks[(mark.register_id, mark.child_id)] = mark
        if mark.unbooked:
            taken.unbooked.append(mark)
    if taken.unbooked:
        children = {mark.child_id for mark in taken.unbooked}
        for enrolment in Enrolment.objects.filter(
            child_id__in=children,
            service_id__in=service_ids,
            school_year__starts_on__lte=end,
            school_year__ends_on__gte=start,
        ).select_related("school_year__commune"):
            key = (enrolment.child_id, enrolment.service_id)
            taken.enrolments.setdefault(key, []).append(enrolment)
    return taken
