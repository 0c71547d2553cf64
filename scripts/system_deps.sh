#!/usr/bin/env bash
# Install the system packages the project needs, when this machine lets us (root + apt-get):
# CJK fonts for PDFs and screenshots, Chromium for browser tests, poppler for looking at PDFs,
# gettext for translations, nginx for the test of the deployment's proxy configuration. Skips quietly what is
# already there.
set -u
need=()
for pkg in fonts-noto-cjk fonts-wqy-microhei chromium poppler-utils gettext nginx-light; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${need[*]} (install them with your package manager)" >&2
  exit 0
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
