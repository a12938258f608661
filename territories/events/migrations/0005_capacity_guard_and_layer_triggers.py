"""The database's guarantees for sign-ups (docs/domain.md, "Events"):

- an event never has more `registered` rows than its capacity. A BEFORE trigger on
  events_registration locks the event's row (FOR NO KEY UPDATE, the lock the
  service takes too, so the two wait for each other and nothing else does) and
  counts the registered rows in a new snapshot (each statement of a plpgsql
  function takes one in READ COMMITTED), so two sign-ups racing for the last place
  are counted in turn and the second is refused with `registration_within_capacity`;
- an event's capacity is never lowered below its registered count
  (`event_capacity_covers_registered`), under the row lock the UPDATE holds.

And the layer's version: the registrations (places left) record their changes too
(geo 0002); the events, kinds and councils do since events 0003."""

from django.db import migrations

from geo.migrations_util import touch_layer_triggers

# The line the race test's control run removes (tests/test_events_race.py).
LOCK = "PERFORM 1 FROM events_event WHERE id = NEW.event_id FOR NO KEY UPDATE;"

GUARD = f"""
CREATE FUNCTION events_registration_capacity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    places integer;
    taken integer;
BEGIN
    IF NEW.state <> 'registered' OR (TG_OP = 'UPDATE' AND OLD.state = 'registered'
                                     AND OLD.event_id = NEW.event_id) THEN
        RETURN NEW;
    END IF;
    {LOCK}
    SELECT capacity INTO places FROM events_event WHERE id = NEW.event_id;
    IF places IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT count(*) INTO taken FROM events_registration
     WHERE event_id = NEW.event_id AND state = 'registered' AND id <> NEW.id;
    IF taken >= places THEN
        RAISE EXCEPTION 'event % is full (% of % places taken)',
            NEW.event_id, taken, places
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'registration_within_capacity';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER events_registration_capacity
BEFORE INSERT OR UPDATE OF state, event_id ON events_registration
FOR EACH ROW EXECUTE FUNCTION events_registration_capacity();

CREATE FUNCTION events_event_capacity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    taken integer;
BEGIN
    IF NEW.capacity IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT count(*) INTO taken FROM events_registration
     WHERE event_id = NEW.id AND state = 'registered';
    IF taken > NEW.capacity THEN
        RAISE EXCEPTION 'event % has % registered, more than % places',
            NEW.id, taken, NEW.capacity
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'event_capacity_covers_registered';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER events_event_capacity
BEFORE UPDATE OF capacity ON events_event
FOR EACH ROW EXECUTE FUNCTION events_event_capacity();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS events_registration_capacity ON events_registration;
DROP FUNCTION IF EXISTS events_registration_capacity();
DROP TRIGGER IF EXISTS events_event_capacity ON events_event;
DROP FUNCTION IF EXISTS events_event_capacity();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_kinds_case_insensitive_registration_guards"),
        ("geo", "0002_touch_layer_function"),
    ]

    operations = [
        migrations.RunSQL(GUARD, UNGUARD),
        touch_layer_triggers("events_registration"),
    ]
