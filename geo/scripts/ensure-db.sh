#!/usr/bin/env bash
# Makes sure a PostGIS database is reachable and its URL is known to Django.
#
# DATABASE_URL in the environment, or one written into .env by hand, is used as it is.
# Otherwise the project keeps its own PostgreSQL 15 cluster under var/pg: created on first
# use, started on a free port, its URL written to .env (marked LOCAL_PG=1 so that we only
# ever rewrite our own line).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ -n "${DATABASE_URL:-}" ]]; then
  exit 0
fi
if [[ -f .env ]] && grep -q '^DATABASE_URL=' .env && ! grep -q '^LOCAL_PG=1' .env; then
  exit 0
fi

pgbin=/usr/lib/postgresql/15/bin
dbname=${LOCAL_PG_DBNAME:-angarsk}
base=$PWD/var/pg
mkdir -p "$base"

if [[ $(id -u) == 0 ]]; then
  owner=postgres
  as_owner=(runuser -u postgres --)
else
  owner=$(id -un)
  as_owner=()
fi

# The cluster must live where its owner can write; a repo under a private home (0700)
# is not reachable by the postgres user, so the data then goes to /var/tmp.
data=$base/data
if [[ $owner != "$(id -un)" ]]; then
  chown "$owner" "$base"
  if ! "${as_owner[@]}" test -w "$base"; then
    alt=/var/tmp/angarsk-pg-$(echo -n "$PWD" | md5sum | cut -c1-12)
    mkdir -p "$alt" && chown "$owner" "$alt"
    data=$alt/data
  fi
fi
run=$(dirname "$data")/run
mkdir -p "$run" && chown "$owner" "$run"

if [[ ! -f $data/PG_VERSION ]]; then
  echo "Создаю локальный кластер PostgreSQL / creating a local PostgreSQL cluster in $data"
  "${as_owner[@]}" "$pgbin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$base/initdb.log"
fi

port_file=$base/port
running_port() { "${as_owner[@]}" "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1 && cat "$port_file"; }
port_free() { python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$1" 2>/dev/null; }

port=$(running_port || true)
if [[ -z $port ]]; then
  port=$(cat "$port_file" 2>/dev/null || echo 54330)
  while ! port_free "$port"; do port=$((port + 1)); done
  echo "$port" >"$port_file"
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$data" -l "$(dirname "$data")/server.log" -w -t 60 \
    -o "-p $port -k $run -c listen_addresses=127.0.0.1 -c jit=off" start >/dev/null
fi

psql=("$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAq)
if [[ -z $("${psql[@]}" -c "select 1 from pg_database where datname = '$dbname'") ]]; then
  "${psql[@]}" -c "create database $dbname"
fi

url="postgis://postgres@127.0.0.1:$port/$dbname"
touch .env
grep -v -e '^DATABASE_URL=' -e '^LOCAL_PG=' .env >.env.tmp || true
printf 'LOCAL_PG=1\nDATABASE_URL=%s\n' "$url" >>.env.tmp
chmod go-rwx .env.tmp  # .env also holds the SECRET_KEY (ensure-secret.sh)
mv .env.tmp .env
