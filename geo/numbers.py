"""Whole numbers received as text (ids, pages, years, day counts), read strictly.

Python's `int()` is generous: it takes any Unicode decimal digit ("٣" is 3), "1_000",
surrounding spaces and a sign, while "²".isdigit() is true and int("²") fails. An
id or a page number is ASCII digits and nothing else, within a range the database
can hold (docs/architecture.md, "Refusing what cannot be served")."""

import re

# PostgreSQL's integer; a bigint id beyond it is still "no such row", never an error.
INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1
ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def whole_number(text, low=0, high=INT_MAX):
    """`text` as an int within [low, high] (low >= 0: no sign is taken), or None
    when it is anything else."""
    if not isinstance(text, str) or not ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None
