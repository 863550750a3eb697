#!/usr/bin/env bash
# Installs the Debian packages the product and its tests use, when missing.
# As root on Debian it runs apt-get; elsewhere it says what is missing and fails.
set -euo pipefail

packages=(postgresql espeak-ng chromium libportaudio2 redis-server wrk nodejs npm)
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    # nodejs/npm may come from elsewhere than Debian: a working binary is enough.
    if [[ "$pkg" == nodejs || "$pkg" == npm ]] && command -v "${pkg/nodejs/node}" >/dev/null; then
      continue
    fi
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them (on Debian: sudo apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi
