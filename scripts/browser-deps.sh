#!/usr/bin/env bash
# browser-deps.sh provides headless Chromium for the web UI's browser tests
# (internal/server, TestBrowser*).
#
#   scripts/browser-deps.sh install  install Debian's chromium (make browser-deps)
#   scripts/browser-deps.sh check    what make test runs: never installs on a
#                                    laptop without asking
#
# check does nothing when Chromium is there. When it is missing: under CI=true
# it installs it and fails if that fails; on a terminal it asks first; otherwise
# it says how to install it, and the browser tests skip.
set -euo pipefail

mode="${1:-install}"
hint="install it with 'sudo apt-get install chromium' or 'make browser-deps'"

found() {
	local name
	for name in chromium chromium-browser google-chrome; do
		if command -v "$name" >/dev/null 2>&1; then
			echo "$(command -v "$name")"
			return 0
		fi
	done
	return 1
}

install() {
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		if ! command -v sudo >/dev/null 2>&1; then
			echo "browser-deps: need root to install chromium (apt-get install chromium)" >&2
			return 1
		fi
		sudo="sudo"
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "browser-deps: no apt-get here: install Chromium or Chrome with your package manager" >&2
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
	echo "browser-deps: installed $(chromium --version 2>/dev/null || echo chromium)"
}

if path="$(found)"; then
	echo "browser-deps: using $path ($("$path" --version 2>/dev/null || echo unknown version))"
	exit 0
fi

case "$mode" in
install)
	install
	;;
check)
	if [ "${CI:-}" = "true" ]; then
		install || { echo "browser-deps: CI=true and chromium could not be installed: the browser tests would fail" >&2; exit 1; }
	elif [ -t 0 ] && [ -t 1 ]; then
		read -r -p "browser-deps: the browser tests need Chromium. Install Debian's chromium with apt-get now (uses sudo)? [y/N] " yes
		case "$yes" in
		[yY]*) install || echo "browser-deps: the install failed; the browser tests will skip" ;;
		*) echo "browser-deps: not installing; the browser tests will skip ($hint)" ;;
		esac
	else
		echo "browser-deps: chromium not found; the browser tests will skip ($hint)"
	fi
	;;
*)
	echo "usage: scripts/browser-deps.sh install|check" >&2
	exit 2
	;;
esac
