"""The room booking an event holds (Event.booking) changes through the event only
(docs/domain.md, "Events"): a BEFORE UPDATE trigger on centres_booking — the
events app's, since centres know nothing of events — refuses, while a scheduled
event points at the booking,

- a new start or end that no longer covers the event's time, and
- cancelling or declining it.

The event service cancels the event first and then its booking (or points the
event at another booking first), so its own steps pass. The refusal carries the
constraint name `booking_held_by_event` and the event's title as DETAIL; the
centres service turns it into a refusal naming `booking`.

The UPDATE holds the booking's row lock; an event taking the booking checks it
under FOR UPDATE too (services/events.book_room), so the two wait for each other."""

from django.db import migrations

GUARD = """
CREATE FUNCTION events_booking_held() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    held record;
BEGIN
    SELECT title, starts_at, ends_at INTO held FROM events_event
     WHERE booking_id = NEW.id AND state = 'scheduled';
    IF NOT FOUND THEN
        RETURN NEW;
    END IF;
    IF (NEW.state IN ('cancelled', 'declined') AND OLD.state <> NEW.state)
       OR NEW.starts_at > held.starts_at OR NEW.ends_at < held.ends_at THEN
        RAISE EXCEPTION 'booking % is held by a scheduled event', NEW.id
            USING ERRCODE = 'restrict_violation',
                  CONSTRAINT = 'booking_held_by_event',
                  DETAIL = held.title;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER events_booking_held
BEFORE UPDATE OF state, starts_at, ends_at ON centres_booking
FOR EACH ROW EXECUTE FUNCTION events_booking_held();
"""

UNDO = """
DROP TRIGGER IF EXISTS events_booking_held ON centres_booking;
DROP FUNCTION IF EXISTS events_booking_held();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0002_change_triggers"),
        ("events", "0006_room_booked_with_the_event"),
    ]

    operations = [migrations.RunSQL(GUARD, UNDO)]
