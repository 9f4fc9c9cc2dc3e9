#!/usr/bin/env bash
# Install the Debian packages the product needs beside Python, when they are missing.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-liberation)
# The test suite also validates docker-compose.yml and the proxy's nginx.conf, drives Chromium and
# reads PDFs (poppler-utils).
if [ "${1:-}" = "test" ]; then
  packages+=(docker-compose chromium nginx-light poppler-utils)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Please install: ${missing[*]} (Pango and fonts, for PDF rendering)." >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Run: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
