#!/usr/bin/env bash
# Cold release build: wall time of `cargo build --release --locked` from an
# empty target dir (budget: under ~6 minutes on 2 cores), the size of the
# stripped binary, and the shared libraries it loads (it must not load the
# system's libssl/libcrypto: ssh2 builds a vendored OpenSSL). Downloads are
# fetched first so that they are not timed.
#
# Usage: bench/build.sh [--bare] [TARGET_DIR]
#   TARGET_DIR  an empty or missing dir to build in (kept); default: a fresh
#               temporary dir, removed afterwards.
#   --bare      build as on a machine with only a Rust toolchain, a C compiler,
#               perl and make: runs in a private mount namespace (needs root)
#               where the OpenSSL headers are hidden, pkg-config always fails
#               and no OPENSSL_* variable is set, so a build that still looked
#               for the system OpenSSL fails. zlib is built from source too
#               (LIBZ_SYS_STATIC=1), as on a machine without zlib1g-dev. The
#               hiding lasts only for this build: nothing outside it sees it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --bare ]; then
  shift
  [ "$(id -u)" -eq 0 ] || { echo "bench/build.sh: --bare needs root (a private mount namespace)" >&2; exit 1; }
  cargo fetch --locked -q
  exec unshare --mount --propagation private env MESOS_BARE_BUILD=1 "$PWD/bench/build.sh" "$@"
fi

if [ "${MESOS_BARE_BUILD:-}" = 1 ]; then
  for d in /usr/include/openssl /usr/include/*/openssl; do
    [ -d "$d" ] && mount -t tmpfs -o ro tmpfs "$d"
  done
  for p in pkg-config pkgconf "$(uname -m)-linux-gnu-pkg-config"; do
    p=$(command -v "$p" || true)
    [ -n "$p" ] && mount --bind /bin/false "$p"
  done
  unset OPENSSL_DIR OPENSSL_LIB_DIR OPENSSL_INCLUDE_DIR OPENSSL_STATIC OPENSSL_NO_VENDOR PKG_CONFIG_PATH
  export PKG_CONFIG=/bin/false OPENSSL_NO_PKG_CONFIG=1 LIBZ_SYS_STATIC=1
  if [ -e /usr/include/openssl/ssl.h ] || pkg-config --exists openssl 2>/dev/null; then
    echo "bench/build.sh: could not hide the system OpenSSL" >&2
    exit 1
  fi
  echo "bare build: no OpenSSL headers, pkg-config fails, no OPENSSL_* variables"
else
  cargo fetch --locked -q
fi

target_dir=${1:-$(mktemp -d /tmp/mesos-cold-build.XXXXXX)}
[ -z "$(ls -A "$target_dir" 2>/dev/null)" ] || { echo "bench/build.sh: $target_dir is not empty" >&2; exit 1; }
start=$(date +%s.%N)
CARGO_TARGET_DIR=$target_dir cargo build --release --locked -q
end=$(date +%s.%N)
bin=$target_dir/release/mesos
size=$(stat -c %s "$bin")
awk -v s="$start" -v e="$end" 'BEGIN{printf "cold release build: %.0f s\n", e - s}'
echo "release binary: $((size / 1024)) KiB ($(awk "BEGIN{printf \"%.1f\", $size/1048576}") MiB), stripped"
echo "OpenSSL that libssh2 links (openssl-sys build script):"
cat "$target_dir"/release/build/openssl-sys-*/output | grep -E 'rustc-link-(lib|search)' | sed 's/^/  /'
echo "shared libraries:"
libs=$(ldd "$bin" | awk '{print $1}')
printf '  %s\n' $libs
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (other builds may share the machine)"
[ -n "${1:-}" ] || rm -rf "$target_dir"
if grep -Eq 'libssl|libcrypto' <<<"$libs"; then
  echo "bench/build.sh: the binary loads the system's OpenSSL" >&2
  exit 1
fi
