#!/bin/sh
# Installs the npm dependencies (and with them the pinned Node 24 binary) when they are
# missing or older than the lockfile, so that `npm start` and `npm test` work on a fresh clone.
set -eu
cd "$(dirname "$0")/../.."
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ ! -x node_modules/.bin/node ]; then
  echo "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
version=$(node_modules/.bin/node --version)
case "$version" in
  v24.*) ;;
  *) echo "node_modules/.bin/node is $version, expected Node 24: run 'npm ci' again" >&2; exit 1 ;;
esac
