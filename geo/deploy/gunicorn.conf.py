# gunicorn as served by `make run` (geo/scripts/serve.sh) and by the image
# (geo/deploy/Dockerfile): `gunicorn geo.wsgi -c geo/deploy/gunicorn.conf.py --bind …`.
# docs/architecture.md, "Serving"; options given on the command line win.
import os

# Threads serve only requests that have fully arrived: the worker's event loop
# receives them, however slowly they come, and cuts clients past the limits of
# geo.request_reader.Limits (SERVE_HEADER_TIMEOUT, SERVE_BODY_TIMEOUT,
# SERVE_BODY_MIN_RATE, SERVE_SEND_TIMEOUT in the environment).
worker_class = "geo.gunicorn_worker.BufferingWorker"
workers = int(os.environ.get("WEB_CONCURRENCY", 3))
# Requests served at once per process. Each thread keeps its own database
# connection (CONN_MAX_AGE), so workers × threads connections at most.
threads = int(os.environ.get("WEB_THREADS", 4))
# Connections per process, slow ones included; past it the process stops accepting
# and the others take the new connections.
worker_connections = 1000
# Idle seconds before a kept-alive connection is closed; it costs no thread.
keepalive = 5
# A process whose event loop has not reported for this long is restarted. The loop
# never waits for a client or a request, so this only catches a stuck process.
timeout = 30
accesslog = "-"
# Its default path ($HOME/.gunicorn) is shared by every gunicorn of the user (and not
# writable in the image); nothing uses it here.
control_socket_disable = True
