"""What the benchmarks in this folder share: a database of their own in the cluster of
DATABASE_URL (created, migrated and dropped again), `manage.py` and gunicorn run on it,
and one-line facts about the machine.

The benchmarks are run by path (`.venv/bin/python tests/bench/layers_bench.py`), which
puts this folder on sys.path: they import it as `harness`.
"""

import http.client
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

import environ
import psycopg

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class BenchError(RuntimeError):
    """The benchmark cannot go on, or what it measured is wrong."""


# --- database ----------------------------------------------------------------------


class BenchDatabase(NamedTuple):
    django_url: str  # postgis://…, for manage.py and gunicorn
    pg_url: str  # postgresql://…, for psycopg
    maintenance_url: str  # the cluster's `postgres` database, to create and drop

    @property
    def name(self):
        return urlsplit(self.pg_url).path.lstrip("/")


def database_urls(variable, default):
    """The bench database named by the environment `variable` (or `default`), in the
    cluster of DATABASE_URL; never the development database itself."""
    environ.Env.read_env(REPO / ".env", overwrite=False)
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise BenchError("DATABASE_URL is not set (run `make db` first)")
    parts = urlsplit(url)
    name = os.environ.get(variable, default)
    if name == parts.path.lstrip("/"):
        raise BenchError(f"refusing to use the development database {name!r}")
    pg = parts._replace(scheme="postgresql")
    return BenchDatabase(
        urlunsplit(parts._replace(path=f"/{name}")),
        urlunsplit(pg._replace(path=f"/{name}")),
        urlunsplit(pg._replace(path="/postgres")),
    )


def drop_database(maintenance_url, name, create_again=False):
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create_again:
            conn.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def fresh_database(database):
    """The bench database, dropped if left from an earlier run, created and migrated;
    dropped again on the way out, whatever happens."""
    drop_database(database.maintenance_url, database.name, create_again=True)
    try:
        migrate(database.django_url)
        yield database
    finally:
        drop_database(database.maintenance_url, database.name)


def server_facts(pg_url, *settings):
    """PostgreSQL's and PostGIS's versions, then the value of each named setting."""
    columns = ["split_part(version(), ' ', 2)", "postgis_lib_version()"]
    columns += ["current_setting(%s)"] * len(settings)
    with psycopg.connect(pg_url) as conn:
        return conn.execute(f"SELECT {', '.join(columns)}", settings).fetchone()


# --- Django ------------------------------------------------------------------------


def django_env(django_url, **variables):
    """The environment of a Django process on the bench database (dev settings)."""
    return {
        **os.environ,
        "DATABASE_URL": django_url,
        "DJANGO_SETTINGS_MODULE": "geo.settings.dev",
        **variables,
    }


def migrate(django_url):
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=REPO,
        env=django_env(django_url),
        check=True,
    )


def manage(django_url, *args):
    """Runs a management command on the bench database; its standard output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=django_env(django_url),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BenchError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


# --- web server --------------------------------------------------------------------


# The options of `make run` and of the image (docs/architecture.md, "Serving"); options
# after them win, e.g. `[*SERVED, "-w", "1"]`.
SERVED = ("-c", str(REPO / "geo/deploy/gunicorn.conf.py"))


class Server(NamedTuple):
    port: int
    pid: int  # gunicorn's master


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(django_url, options=(), env=None, graceful_timeout=5):
    """gunicorn serving geo.wsgi (DEBUG off, persistent connections) on a free port
    with the extra command-line `options` and `env`; yields a Server once it answers.
    On the way out it gets `graceful_timeout` seconds and 10 more before it is killed.
    """
    port = free_port()
    env = django_env(django_url, DEBUG="0", CONN_MAX_AGE="3600", **(env or {}))
    cmd = [BIN / "gunicorn", "geo.wsgi", *options, "--bind", f"127.0.0.1:{port}"]
    # No control socket: its default path (~/.gunicorn/gunicorn.ctl) is shared by every
    # gunicorn of the user, e.g. a `make run` next to the bench.
    cmd += ["--timeout", "120", "--graceful-timeout", str(graceful_timeout)]
    cmd += ["--no-control-socket"]
    with tempfile.TemporaryFile() as log:
        master = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=log)
        try:
            wait_until_serving(master, port, log)
            yield Server(port, master.pid)
        finally:
            master.send_signal(signal.SIGTERM)
            try:
                master.wait(timeout=graceful_timeout + 10)
            except subprocess.TimeoutExpired:
                master.kill()
                master.wait()


def wait_until_serving(master, port, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if master.poll() is not None:
            log.seek(0)
            raise BenchError("gunicorn exited:\n" + log.read().decode(errors="replace"))
        try:
            status, _, _ = get(port, "/api/layers/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError("gunicorn did not answer /api/layers/ within 60 s")


def get(port, path, encoding="identity"):
    """(status, Content-Encoding, body) of GET `path` on the local server."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": encoding})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Encoding"), response.read()
    finally:
        conn.close()


# --- report ------------------------------------------------------------------------


def run_bench(main):
    """Runs a benchmark's main(); a BenchError ends it with a message, no traceback."""
    try:
        main()
    except BenchError as error:
        sys.exit(f"bench failed: {error}")


def machine_facts():
    return (
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.2f}"
    )


def print_footer(started, name):
    """The run's duration and the load after it, once the database is dropped."""
    print(
        f"({time.monotonic() - started:.0f} s, load {os.getloadavg()[0]:.2f}; "
        f"database {name} dropped)"
    )
