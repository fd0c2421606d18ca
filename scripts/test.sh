#!/usr/bin/env bash
# Run every test of the project. Installs the system test dependencies
# (real ZooKeeper, OpenSSH server and client, Chromium and chromedriver, and
# the C toolchain the build uses) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -e /usr/share/java/zookeeper.jar ] || [ -n "${ZOOKEEPER_HOME:-}" ] || need+=(zookeeper)
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
# The pty tests (tests/integration/tty.rs) run the binary under util-linux
# `script` (Debian's essential bsdutils package; checked all the same).
command -v script >/dev/null 2>&1 || need+=(bsdutils)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# The web UI tests (tests/integration/webui*.rs) drive a real headless
# Chromium through chromedriver (tests/integration/common/browser.rs).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
# Building the ssh2 crate: libssh2 and a vendored OpenSSL (openssl-src) are
# compiled from source, which takes a C compiler, make, and perl with its core
# modules (OpenSSL's Configure fails with Debian's perl-base alone). No OpenSSL
# headers or pkg-config are needed.
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v make >/dev/null 2>&1 || need+=(make)
perl -MFindBin -MIPC::Cmd -MFile::Compare -e1 >/dev/null 2>&1 || need+=(perl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test.sh: missing ${need[*]}; run as root or install them: apt-get install -y --no-install-recommends ${need[*]}" >&2
    exit 1
  fi
  echo "scripts/test.sh: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# A failing test ends with its panic message, not a backtrace that pushes the
# message out of a CI log's tail (MESOS_TEST_BACKTRACE=1 brings them back).
export RUST_BACKTRACE="${MESOS_TEST_BACKTRACE:-0}"
cargo test --locked "$@"
