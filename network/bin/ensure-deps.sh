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

# SoftHSM2: the PKCS#11 token the topology can select for signing keys (keys: { store: softhsm })
# and the one the HSM integration test creates. File keys are the default, so a missing SoftHSM2
# is reported, not fatal: what needs it fails later and says so.
if ! command -v softhsm2-util >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "softhsm2 is missing and apt-get is not available: install SoftHSM2 2.6 by hand" >&2
  else
    if [ "$(id -u)" = 0 ]; then
      as_root=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      as_root="sudo -n"
    else
      as_root="unavailable"
    fi
    if [ "$as_root" = unavailable ]; then
      echo "softhsm2 is missing and installing it needs root: run 'sudo apt-get install softhsm2'" >&2
    else
      echo "installing softhsm2 (apt-get, at most 5 minutes)"
      # A stale package list is the usual reason the first attempt fails: refresh it once.
      $as_root timeout 300 apt-get install -y --no-install-recommends softhsm2 >/dev/null ||
        { $as_root timeout 300 apt-get update >/dev/null && $as_root timeout 300 apt-get install -y --no-install-recommends softhsm2 >/dev/null; } ||
        echo "apt-get could not install softhsm2: install it by hand for HSM keys" >&2
    fi
  fi
fi
