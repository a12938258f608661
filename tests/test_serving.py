"""`make run` serves like production (docs/architecture.md, "Serving"): DEBUG off
whatever the environment says, over plain http on this machine, with a SECRET_KEY
kept in .env; neither manage.py nor geo.wsgi falls back to the DEBUG-on dev settings.
Each check starts Python afresh, as `make run` does, without the tests' settings."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
PROBE = (
    "from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG, "
    "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
)
PLAIN_HTTP_WITHOUT_DEBUG = ["False", "False", "False", "False"]


def settings_seen(*command, **variables):
    """What a fresh Python process sees: settings module, DEBUG, https redirect,
    Secure session and CSRF cookies."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT")
    }
    # What .env holds, and a DEBUG=1 left there by hand, which must not count.
    env.update(SECRET_KEY="k" * 50, DEBUG="1", **variables)
    result = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()[-1].split()  # after what `shell` announces


def test_make_run_serves_with_the_local_settings():
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export DJANGO_SETTINGS_MODULE := geo.settings.local\n" in makefile
    assert "bash geo/scripts/serve.sh run" in makefile


def test_the_local_settings_keep_debug_off_over_plain_http():
    seen = settings_seen(
        "-c",
        "import django; django.setup(); " + PROBE,
        DJANGO_SETTINGS_MODULE="geo.settings.local",
    )
    assert seen == ["geo.settings.local", *PLAIN_HTTP_WITHOUT_DEBUG]


def test_manage_py_defaults_to_the_settings_of_make_run():
    seen = settings_seen("manage.py", "shell", "-c", PROBE)
    assert seen == ["geo.settings.local", *PLAIN_HTTP_WITHOUT_DEBUG]


def test_the_wsgi_entry_point_defaults_to_production():
    seen = settings_seen("-c", "import geo.wsgi; " + PROBE)
    assert seen == ["geo.settings.prod", "False", "True", "True", "True"]


def test_the_secret_key_is_generated_once_and_kept(tmp_path):
    script = tmp_path / "geo/scripts/ensure-secret.sh"
    script.parent.mkdir(parents=True)
    shutil.copy(ROOT / "geo/scripts/ensure-secret.sh", script)
    env_file = tmp_path / ".env"
    env_file.write_text("DATABASE_URL=postgis://postgres@127.0.0.1:54330/angarsk\n")

    subprocess.run(["bash", script], check=True, capture_output=True)
    first = env_file.read_text()
    assert re.search(r"^SECRET_KEY=[\w-]{50,}$", first, re.MULTILINE)
    assert first.startswith("DATABASE_URL="), "the other lines stay"
    assert env_file.stat().st_mode & 0o077 == 0, "only its owner may read it"

    subprocess.run(["bash", script], check=True, capture_output=True)
    assert env_file.read_text() == first, "never replaced"


def test_make_run_serves_with_the_gunicorn_configuration():
    """The threads of geo/deploy/gunicorn.conf.py's worker serve only requests that
    have arrived (tests/test_slow_clients.py); three sync workers were held by three
    sockets sending a POST's head (issue #7)."""
    serve = (ROOT / "geo/scripts/serve.sh").read_text()
    (command,) = re.findall(r"^\s*\.venv/bin/gunicorn .*$", serve, re.MULTILINE)
    assert " -c geo/deploy/gunicorn.conf.py " in command
