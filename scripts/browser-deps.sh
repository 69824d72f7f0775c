#!/usr/bin/env bash
# browser-deps.sh installs headless Chromium for the web UI's browser tests
# (internal/server, TestBrowser*). It does nothing when /usr/bin/chromium
# already exists. Needs root (or sudo) and Debian's apt.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
	echo "browser-deps: chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "browser-deps: need root to install chromium (apt-get install chromium)" >&2
		exit 1
	fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "browser-deps: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
