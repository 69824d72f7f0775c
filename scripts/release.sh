#!/usr/bin/env bash
# release.sh VERSION LDFLAGS TAGS: build askdb for linux and darwin on amd64
# and arm64 into dist/, with SHA256SUMS.
#
# askdb needs cgo (SQLite, libpg_query, DuckDB), so each target needs a C
# compiler for it. This script builds what this machine can and says what
# it skipped:
#   - the host's own os/arch always;
#   - linux/arm64 on linux/amd64 with aarch64-linux-gnu-gcc
#     (Debian/Ubuntu: apt-get install gcc-aarch64-linux-gnu), and
#     linux/amd64 on linux/arm64 with x86_64-linux-gnu-gcc;
#   - darwin/amd64 and darwin/arm64 only on a Mac (clang -arch builds both);
#     Apple's SDK cannot be used from Linux here, so run this on macOS for them.
set -euo pipefail
version=${1:?version}; ldflags=${2:-}; tags=${3:-}
go=${GO:-go}
out=dist
rm -rf "$out"; mkdir -p "$out"
host_os=$($go env GOHOSTOS); host_arch=$($go env GOHOSTARCH)
built=(); skipped=()

cc_for() { # os arch -> C compiler command, or nothing when none is here
	local os=$1 arch=$2
	if [[ $os == "$host_os" && $arch == "$host_arch" ]]; then echo "${CC:-cc}"; return; fi
	case "$host_os/$os/$arch" in
	linux/linux/arm64) command -v aarch64-linux-gnu-gcc >/dev/null && echo aarch64-linux-gnu-gcc ;;
	linux/linux/amd64) command -v x86_64-linux-gnu-gcc >/dev/null && echo x86_64-linux-gnu-gcc ;;
	darwin/darwin/arm64) echo "clang -arch arm64" ;;
	darwin/darwin/amd64) echo "clang -arch x86_64" ;;
	esac
	return 0
}

for target in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64; do
	os=${target%/*}; arch=${target#*/}
	cc=$(cc_for "$os" "$arch")
	if [[ -z $cc ]]; then
		skipped+=("$target (needs a C compiler for it: see scripts/release.sh)")
		continue
	fi
	bin="$out/askdb-$version-$os-$arch"
	echo "build $target with CC=$cc"
	CGO_ENABLED=1 GOOS=$os GOARCH=$arch CC=$cc $go build $tags -trimpath -ldflags "$ldflags" -o "$bin" ./cmd/askdb
	built+=("$target")
done

(cd "$out" && if command -v sha256sum >/dev/null; then sha256sum askdb-*; else shasum -a 256 askdb-*; fi) >"$out/SHA256SUMS"
echo "built: ${built[*]}"
for s in "${skipped[@]}"; do echo "skipped: $s"; done
echo "checksums: $out/SHA256SUMS"
