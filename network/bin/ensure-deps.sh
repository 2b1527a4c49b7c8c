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

# Debian packages the project runs: installed with apt-get when their command is missing and we are
# root (or have password-less sudo); otherwise reported, and what needs them fails later and says so.
install_package() {
  cmd=$1 package=$2 purpose=$3
  command -v "$cmd" >/dev/null 2>&1 && return 0
  # Daemons such as slapd live in /usr/sbin, which a non-root PATH often leaves out.
  [ -x "/usr/sbin/$cmd" ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$package is missing and apt-get is not available: install it by hand ($purpose)" >&2
    return 0
  fi
  if [ "$(id -u)" = 0 ]; then
    as_root=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root="sudo -n"
  else
    echo "$package is missing and installing it needs root: run 'sudo apt-get install $package' ($purpose)" >&2
    return 0
  fi
  echo "installing $package (apt-get, at most 10 minutes)"
  # Non-interactive: slapd's debconf questions take their defaults. Its package may start a system
  # slapd on port 389 with its own tree; the project's runs apart from it (own config, data and port).
  export DEBIAN_FRONTEND=noninteractive
  # A stale package list is the usual reason the first attempt fails: refresh it once.
  $as_root timeout 600 apt-get install -y --no-install-recommends "$package" >/dev/null ||
    { $as_root timeout 300 apt-get update >/dev/null && $as_root timeout 600 apt-get install -y --no-install-recommends "$package" >/dev/null; } ||
    echo "apt-get could not install $package: install it by hand ($purpose)" >&2
}

# SoftHSM2: the PKCS#11 token the topology can select for signing keys (keys: { store: softhsm })
# and the one the HSM integration test creates. File keys are the default.
install_package softhsm2-util softhsm2 "HSM-held signing keys"
# Chromium: the browser the console's tests drive (test/integration/console); Playwright's own
# browser download cannot work without the internet. The tests say why they cannot run without it.
install_package chromium chromium "the console's browser tests"
# OpenLDAP: slapd is the certificate directory the topology's `directory` runs (started by
# `npm start` with its own config under network/run); ldap-utils gives ldapsearch (README, tests).
install_package slapd slapd "the LDAP certificate directory"
install_package ldapsearch ldap-utils "ldapsearch, to read the certificate directory"
