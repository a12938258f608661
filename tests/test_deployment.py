"""docker-compose.yml and the image agree (no Docker engine here to run them): a job
worker runs beside web from the same image, and residents' photos go to a volume the
container's non-root user can write."""

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "geo/deploy/Dockerfile").read_text()
SERVICES = COMPOSE["services"]


def test_a_worker_runs_the_jobs_from_the_web_image():
    web, worker = SERVICES["web"], SERVICES["worker"]
    assert worker["command"] == ["python", "manage.py", "procrastinate", "worker"]
    assert (worker["build"], worker["image"]) == (web["build"], web["image"])
    assert worker["depends_on"]["web"]["condition"] == "service_healthy"
    assert worker["environment"]["MIGRATE"] == "0", "web alone migrates"
    for name in ("DATABASE_URL", "SECRET_KEY", "EMAIL_HOST", "SITE_URL"):
        assert worker["environment"][name] == web["environment"][name]


def test_photos_go_to_a_named_volume_at_media_root_owned_by_the_container_user():
    media_root = SERVICES["web"]["environment"]["MEDIA_ROOT"]
    for service in ("web", "worker"):
        assert f"media:{media_root}" in SERVICES[service]["volumes"]
    assert "media" in COMPOSE["volumes"]
    (user,) = re.findall(r"^USER (\w+)$", DOCKERFILE, re.MULTILINE)
    chown = f"mkdir -p {media_root} && chown {user}:{user} {media_root}"
    assert chown in DOCKERFILE
    assert DOCKERFILE.index(chown) < DOCKERFILE.index(f"USER {user}")


def test_the_image_serves_with_the_gunicorn_configuration_of_make_run():
    (command,) = re.findall(r"^CMD (\[.*\])$", DOCKERFILE, re.MULTILINE)
    assert json.loads(command)[:4] == [
        "gunicorn",
        "geo.wsgi",
        "-c",
        "geo/deploy/gunicorn.conf.py",
    ]
