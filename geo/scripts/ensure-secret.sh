#!/usr/bin/env bash
# Makes sure .env holds a SECRET_KEY: generated once, on the first set-up, and never
# replaced (a new key would sign out every session and void every signed link).
# The production settings that `make run` serves with refuse to start without one.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ -f .env ]] && grep -q '^SECRET_KEY=' .env; then
  exit 0
fi
umask 077
key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
printf 'SECRET_KEY=%s\n' "$key" >>.env
chmod go-rwx .env
echo "SECRET_KEY создан в .env / SECRET_KEY generated into .env"
