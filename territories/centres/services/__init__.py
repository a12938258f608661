"""The rules of resource centres (docs/domain.md, "Resource centres and bookings"):
who may book and decide (access), what a booking must respect (rules), the dates of
a repeating request (recurrence), the bookings' way (bookings), closures (closures)
and the e-mail of each step (notify)."""
