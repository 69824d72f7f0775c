#!/usr/bin/env bash
# ui.sh vendors the web UI's chart library: it installs the npm packages
# pinned in web/package-lock.json and copies ECharts into
# internal/server/ui/vendor, where go:embed picks it up. It is idempotent
# and cheap when nothing changed. Without it the UI still works, showing
# tables without charts.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
web="$root/web"
vendor="$root/internal/server/ui/vendor"
src="$web/node_modules/echarts/dist/echarts.min.js"
dst="$vendor/echarts.min.js"

if ! command -v npm >/dev/null 2>&1; then
	echo "ui.sh: npm not found; the web UI will show tables without charts" >&2
	exit 0
fi

# Reinstall only when the lock file is newer than the installed tree.
if [ ! -f "$src" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
	(cd "$web" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

mkdir -p "$vendor"
if ! cmp -s "$src" "$dst" 2>/dev/null; then
	cp "$src" "$dst"
	cp "$web/node_modules/echarts/LICENSE" "$vendor/echarts.LICENSE.txt"
	echo "ui.sh: vendored $(node -p "require('$web/node_modules/echarts/package.json').version" 2>/dev/null || echo echarts) into ${dst#$root/}"
fi
