#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: Python packages, a real PostgreSQL server
# on loopback, Debian's Chromium for browser tests, then ruff and pytest on SQLite and PostgreSQL.
# Usage: bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Python packages"
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
echo "== Licences (the product is MIT: no dependency may need more)"
python3 scripts/check_licences.py

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt-get install ${missing[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
# Pango and fonts for WeasyPrint (PDF packs); poppler-utils to look at pack pages as PNG.
apt_install postgresql chromium nginx libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core poppler-utils

echo "== axe-core (accessibility rules for the browser tests, from the npm registry)"
if [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1; then apt_install npm; fi
  npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@4.14.1
fi
export AXE_CORE_JS="$PWD/.cache/axe/node_modules/axe-core/axe.min.js"

echo "== PostgreSQL"
version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 100); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.2; done
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
as_postgres "psql -q -c \"ALTER USER postgres PASSWORD 'test'\""
as_postgres "psql -lqt | cut -d'|' -f1 | grep -qw dashboard_test || createdb dashboard_test"
export TEST_DATABASE_URL="postgresql+psycopg2://postgres:test@127.0.0.1:${port}/dashboard_test"
export CHROMIUM_PATH=/usr/bin/chromium

echo "== ruff"
python3 -m ruff check .

echo "== pytest (SQLite and PostgreSQL)"
python3 -m pytest -q -n 2 --dist loadgroup --durations=30 "$@"
