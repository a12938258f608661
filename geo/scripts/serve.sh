#!/usr/bin/env bash
# `make run` (gunicorn) and `make dev` (runserver): the web server on 127.0.0.1:$PORT
# and a background-job worker beside it (docs/architecture.md, "Serving"). Ctrl-C or
# SIGTERM stops both; when either ends, the other is stopped too. The settings come
# from DJANGO_SETTINGS_MODULE, which the Makefile sets.
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=${1:?usage: serve.sh run|dev}
port=${PORT:-8000}
py=.venv/bin/python

# A second `make run` must not start a second worker beside a server it cannot start.
if ! python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; then
  echo "Порт $port занят: сайт уже запущен? / port $port is in use: already serving?" \
    "(другой порт / another port: PORT=8001 make $mode)" >&2
  exit 1
fi

# Each child in its own process group: Ctrl-C reaches this script only, which then
# sends each child one SIGTERM, the signal both stop gracefully on (a second signal
# would make the worker abandon the job it is running).
set -m
"$py" manage.py procrastinate worker &
worker=$!
if [[ $mode == dev ]]; then
  "$py" manage.py runserver "127.0.0.1:$port" &
else
  # Workers, threads and the limits on slow clients: geo/deploy/gunicorn.conf.py.
  .venv/bin/gunicorn geo.wsgi -c geo/deploy/gunicorn.conf.py --bind "127.0.0.1:$port" &
fi
server=$!

stop() {
  trap - INT TERM
  kill -TERM "$server" "$worker" 2>/dev/null || true
  wait "$server" "$worker" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
echo "Сайт / site: http://127.0.0.1:$port  (фоновые задачи / jobs worker: pid $worker; Ctrl-C — стоп / stop)"
status=0
wait -n "$server" "$worker" || status=$?
stop
exit "$status"
