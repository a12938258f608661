#!/usr/bin/env bash
# Container start: bring the schema up to date (unless MIGRATE=0: the worker leaves
# that to web), load the demo data set if asked (LOAD_DEMO=1, only into an empty
# district), then run the command (gunicorn, or the job worker).
set -euo pipefail

if [[ "${MIGRATE:-1}" == 1 ]]; then
  python manage.py migrate --noinput
fi
if [[ "${LOAD_DEMO:-0}" == 1 ]]; then
  python manage.py load_demo --if-empty
fi
exec "$@"
