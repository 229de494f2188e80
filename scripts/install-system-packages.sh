#!/usr/bin/env bash
# Install the Debian packages the suite needs, when any is missing.
# Runs as root (the development and CI machines) or through sudo.
set -euo pipefail

# build-essential and cmake compile llama-cpp-python; fonts-noto-cjk draws Chinese chart labels
# and page text; chromium runs the browser tests (Playwright drives it, no browser download);
# docker-compose checks deploy/compose.yaml (`docker-compose config` parses it without an engine);
# postgresql (initdb, pg_ctl) and redis-server run the shared test services and the private ones
# of the multi-process tests.
packages=(build-essential cmake fonts-noto-cjk chromium docker-compose postgresql redis-server)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

# The deploy tests render deploy/k8s with `kubectl kustomize`. Debian's kubernetes-client is
# installed only where no kubectl is on PATH, because it would clash with another kubectl's file.
if ! command -v kubectl >/dev/null 2>&1; then
  missing+=(kubernetes-client)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing Debian packages: ${missing[*]}"
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd="sudo"
fi
$sudo_cmd apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
