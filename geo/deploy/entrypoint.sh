#!/usr/bin/env bash
# Container start: bring the schema up to date, load the demo data set if asked
# (LOAD_DEMO=1, only into an empty district), then run the command (gunicorn).
set -euo pipefail

python manage.py migrate --noinput
if [[ "${LOAD_DEMO:-0}" == 1 ]]; then
  python manage.py load_demo --if-empty
fi
exec "$@"
