#!/usr/bin/env bash
# Run every test of the project. Installs the system test dependencies
# (real ZooKeeper, OpenSSH server and client, and the OpenSSL headers the
# ssh2 crate builds against) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -e /usr/share/java/zookeeper.jar ] || [ -n "${ZOOKEEPER_HOME:-}" ] || need+=(zookeeper)
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# Building the ssh2 crate (libssh2 against the system OpenSSL).
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
[ -e /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
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

cargo test --locked "$@"
