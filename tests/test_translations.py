"""The English catalogue is complete: every Russian string has a translation."""

import shutil
import subprocess
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).parent.parent / "geo/locale/en/LC_MESSAGES/django.po"


@pytest.mark.skipif(not shutil.which("msgattrib"), reason="gettext is not installed")
@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_no_untranslated_or_fuzzy_entries(flag):
    listed = subprocess.run(
        ["msgattrib", flag, "--no-obsolete", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # msgattrib prints the header entry (msgid "") and nothing else when all is well.
    msgids = [line for line in listed.splitlines() if line.startswith("msgid ")]
    assert msgids in ([], ['msgid ""']), listed
