#!/usr/bin/env bash
# Installs the Debian packages the platform needs, once. Fast when everything is present:
# dpkg is asked first, apt only runs for what is missing.
set -euo pipefail

# pgRouting gives walking distances (docs/domain.md, "Walking distance").
packages=(postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting gdal-bin libgeos-c1v5
  gettext)
# For the tests: the browser, and QGIS as the independent OGC API client the planners
# use (tests/test_ogc_clients.py runs it with Debian's Python).
if [[ "${WITH_BROWSER:-0}" == 1 ]]; then
  packages+=(chromium python3-qgis qgis-providers)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
((${#missing[@]})) || exit 0

sudo=""
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null || { echo "Нужны права root или sudo, чтобы установить: ${missing[*]} / root or sudo is needed to install them" >&2; exit 1; }
  sudo="sudo"
fi
echo "Устанавливаю системные пакеты / installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
