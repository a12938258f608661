"""The labels of a choices type, read once per language.

Django's `get_FOO_display()` rebuilds a dict of the field's choices on every call and
hashes each lazy label on the way (one gettext per choice): for a list of 1,000
reports that was 0.13 ms a row, most of Open311's time per request
(docs/architecture.md, "Reports at scale"). Labels do not change while the process
runs, so a dict per (type, language) is built once and read from then on."""

from functools import lru_cache

from django.utils import translation


def choice_label(choices, value):
    """The label of `value` in `choices` (a TextChoices type) in the active
    language; the value itself when it is not one of the choices."""
    return _labels(choices, translation.get_language()).get(value, value)


@lru_cache(maxsize=64)
def _labels(choices, language):
    with translation.override(language):
        return {value: str(label) for value, label in choices.choices}
