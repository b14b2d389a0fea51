"""Family pages of the bookings: enrolments, the agenda, weekly patterns and holiday
sessions, absences. Each view: ``family_required``, a family-scoped selector, one
service, render."""
