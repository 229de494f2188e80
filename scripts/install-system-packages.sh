#!/usr/bin/env bash
# Install the Debian packages the suite needs, when any is missing.
# Runs as root (the development and CI machines) or through sudo.
set -euo pipefail

# build-essential and cmake compile llama-cpp-python; fonts-noto-cjk draws Chinese chart labels.
packages=(build-essential cmake fonts-noto-cjk)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

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
