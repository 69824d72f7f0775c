#!/usr/bin/env bash
# ui.sh keeps the web UI's chart library, ECharts, vendored in
# internal/server/ui/vendor, where go:embed picks it up. The copy is checked
# in, so a build needs neither npm nor the network. npm is used only when
# the copy is missing, was edited, or web/package-lock.json pins another
# ECharts; the tarball npm fetches is checked against the lock file's
# integrity before anything is copied.
#
#   scripts/ui.sh           refresh the copy only when it is stale
#   scripts/ui.sh --verify  fetch the pinned tarball and check that the
#                           checked-in copy is byte for byte its build
#
# vendor/echarts.lock records the version, the lock file's integrity and
# the copy's SHA-256; internal/server's TestVendoredChartLibrary checks it.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
lock="$root/web/package-lock.json"
vendor="$root/internal/server/ui/vendor"
stamp="$vendor/echarts.lock"
verify=false
[ "${1:-}" = "--verify" ] && verify=true

# lockfield prints a field of node_modules/echarts in the lock file (npm
# writes one field per line, so no JSON parser is needed).
lockfield() {
	awk -v f="\"$1\":" '/"node_modules\/echarts": *\{/ { in_e = 1; next }
		in_e && /^ *\}/ { exit }
		in_e && index($0, f) { sub(/^[^:]*: *"/, ""); sub(/".*$/, ""); print; exit }' "$lock"
}

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

# stampfield prints a key of vendor/echarts.lock ("key value" lines).
stampfield() {
	[ -f "$stamp" ] && awk -v k="$1" '$1 == k { print $2; exit }' "$stamp"
}

version="$(lockfield version)"
integrity="$(lockfield integrity)"
if [ -z "$version" ] || [ -z "$integrity" ]; then
	echo "ui.sh: no echarts version and integrity in ${lock#$root/}" >&2
	exit 1
fi

fresh() {
	[ -f "$vendor/echarts.min.js" ] &&
		[ "$(stampfield integrity)" = "$integrity" ] &&
		[ "$(stampfield sha256)" = "$(sha256 "$vendor/echarts.min.js")" ]
}

if ! $verify && fresh; then
	exit 0
fi

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
	if [ -f "$vendor/echarts.min.js" ]; then
		echo "ui.sh: npm not found: keeping the vendored ECharts, although it is not the build vendor/echarts.lock and web/package-lock.json pin (echarts $version)" >&2
	else
		echo "ui.sh: npm not found and internal/server/ui/vendor/echarts.min.js is missing: the web UI will show tables without charts" >&2
	fi
	[ "${CI:-}" = "true" ] && exit 1
	exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "echarts@$version" --silent --no-audit --no-fund >/dev/null)
tgz="$tmp/echarts-$version.tgz"
got="sha512-$(node -e 'const c=require("crypto"),fs=require("fs");process.stdout.write(c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
if [ "$got" != "$integrity" ]; then
	echo "ui.sh: echarts-$version.tgz has integrity $got, but web/package-lock.json pins $integrity" >&2
	exit 1
fi
tar -xzf "$tgz" -C "$tmp" package/dist/echarts.min.js package/LICENSE package/NOTICE package/licenses/LICENSE-d3

if $verify; then
	for f in echarts.min.js:dist/echarts.min.js echarts.LICENSE.txt:LICENSE echarts.NOTICE.txt:NOTICE echarts.LICENSE-d3.txt:licenses/LICENSE-d3; do
		if ! cmp -s "$vendor/${f%%:*}" "$tmp/package/${f#*:}"; then
			echo "ui.sh: internal/server/ui/vendor/${f%%:*} differs from ${f#*:} in echarts-$version.tgz" >&2
			exit 1
		fi
	done
	if ! fresh; then
		echo "ui.sh: internal/server/ui/vendor/echarts.lock does not match the copy or the lock file" >&2
		exit 1
	fi
	echo "ui.sh: the vendored ECharts is echarts-$version.tgz's build ($integrity)"
	exit 0
fi

mkdir -p "$vendor"
cp "$tmp/package/dist/echarts.min.js" "$vendor/echarts.min.js"
cp "$tmp/package/LICENSE" "$vendor/echarts.LICENSE.txt"
cp "$tmp/package/NOTICE" "$vendor/echarts.NOTICE.txt"
cp "$tmp/package/licenses/LICENSE-d3" "$vendor/echarts.LICENSE-d3.txt"
cat >"$stamp" <<EOF
version $version
integrity $integrity
sha256 $(sha256 "$vendor/echarts.min.js")
EOF
echo "ui.sh: vendored echarts $version into internal/server/ui/vendor (commit it with echarts.lock and the licence files)"
