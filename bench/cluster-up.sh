#!/usr/bin/env bash
# `mesos cluster up` (1 master, 2 agents, local) until ready, and `down`.
# Budgets: up median under 2 s, down median under 1 s.
# With SSH=1 also `mesos cluster up -f` of 1 master + 2 agents on two real
# sshd "hosts" (127.0.0.2 and 127.0.0.3, started here, Debian openssh-server):
# budget under 10 s. The first SSH run includes uploading the binary; the
# others find it by checksum.
#
#   bench/cluster-up.sh            # release build (the budgets apply to it)
#   PROFILE=debug bench/cluster-up.sh
#   RUNS=20 SSH=1 bench/cluster-up.sh
#
# Every run uses its own HOME / XDG dirs / MESOS_CONFIG under a temp dir, so
# the user's clusters, profiles and known_hosts are never touched. Prints one
# line per command with median, mean, min and max over RUNS runs.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-release}
runs=${RUNS:-10}
target_dir=${CARGO_TARGET_DIR:-target}
if [ "$profile" = release ]; then
  cargo build --release --locked -q --bin mesos
else
  cargo build --locked -q --bin mesos
fi
bin=$(realpath "$target_dir/$profile/mesos")
tmp=$(mktemp -d)
export HOME=$tmp XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config MESOS_CONFIG=$tmp/config.toml NO_COLOR=1
cleanup() {
  "$bin" cluster down --name bench --purge -q >/dev/null 2>&1 || true
  if [ -f "$tmp/cluster.toml" ]; then
    "$bin" cluster down -f "$tmp/cluster.toml" --purge -q >/dev/null 2>&1 || true
  fi
  for p in "$tmp"/sshd-*.pid; do
    if [ -f "$p" ]; then kill "$(cat "$p")" 2>/dev/null || true; fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
free_port() { python3 -c "import socket; s=socket.socket(); s.bind(('$1', 0)); print(s.getsockname()[1])"; }

up_times=()
down_times=()
for _ in $(seq "$runs"); do
  t0=$(ms)
  "$bin" cluster up --name bench -q >/dev/null
  t1=$(ms)
  "$bin" cluster down --name bench --purge -q
  t2=$(ms)
  up_times+=($((t1 - t0)))
  down_times+=($((t2 - t1)))
done

ssh_up=()
ssh_down=()
ssh_cold=""
if [ "${SSH:-0}" = 1 ]; then
  [ -x /usr/sbin/sshd ] || { echo "bench/cluster-up.sh: SSH=1 needs openssh-server (apt-get install -y openssh-server)" >&2; exit 1; }
  mkdir -p /run/sshd "$tmp/.ssh"
  ssh-keygen -q -t ed25519 -N "" -f "$tmp/user_key"
  : > "$tmp/.ssh/known_hosts"
  hosts_toml=""
  for ip in 127.0.0.2 127.0.0.3; do
    port=$(free_port "$ip")
    ssh-keygen -q -t ed25519 -N "" -f "$tmp/host-$ip"
    printf '%s\n' "Port $port" "ListenAddress $ip" "HostKey $tmp/host-$ip" \
      "PidFile $tmp/sshd-$ip.pid" "AuthorizedKeysFile $tmp/user_key.pub" \
      "PasswordAuthentication no" "KbdInteractiveAuthentication no" \
      "PermitRootLogin prohibit-password" "StrictModes no" "UsePAM no" "MaxSessions 100" \
      > "$tmp/sshd-$ip.conf"
    /usr/sbin/sshd -f "$tmp/sshd-$ip.conf" -E "$tmp/sshd-$ip.log"
    echo "[$ip]:$port $(cut -d' ' -f1,2 "$tmp/host-$ip.pub")" >> "$tmp/.ssh/known_hosts"
    hosts_toml+="[[hosts]]"$'\n'"host = \"$ip\""$'\n'"port = $port"$'\n\n'
  done
  mport=$(free_port 127.0.0.2)
  aport=$(free_port 127.0.0.3)
  {
    printf '%s\n' "name = \"benchssh\"" "work_dir = \"$tmp/remote\"" "" "[ssh]" \
      "user = \"$(id -un)\"" "key_file = \"$tmp/user_key\"" ""
    printf '%s' "$hosts_toml"
    printf '%s\n' "[masters]" "hosts = [\"127.0.0.2\"]" "port = $mport" "" \
      "[agents]" "hosts = [\"127.0.0.2\", \"127.0.0.3\"]" "port = $aport" "resources = \"cpus:1;mem:256\""
  } > "$tmp/cluster.toml"
  sleep 0.2
  for i in $(seq $((runs + 1))); do
    t0=$(ms)
    "$bin" cluster up -f "$tmp/cluster.toml" -q --no-marathon >/dev/null
    t1=$(ms)
    "$bin" cluster down -f "$tmp/cluster.toml" -q
    t2=$(ms)
    if [ "$i" = 1 ]; then ssh_cold=$((t1 - t0)); continue; fi
    ssh_up+=($((t1 - t0)))
    ssh_down+=($((t2 - t1)))
  done
fi

python3 - "$profile" "${up_times[*]}" "${down_times[*]}" "${ssh_up[*]:-}" "${ssh_down[*]:-}" "$ssh_cold" <<'PY'
import statistics, sys
profile = sys.argv[1]
rows = [("cluster up (1 master, 2 agents, to ready)", sys.argv[2], 2000),
        ("cluster down", sys.argv[3], 1000)]
if sys.argv[4].strip():
    print(f"cluster up -f over SSH, first run incl. binary upload [{profile}]: {sys.argv[6]} ms")
    rows += [("cluster up -f over SSH (1 master + 2 agents on 2 hosts, binary cached)", sys.argv[4], 10000),
             ("cluster down -f over SSH", sys.argv[5], None)]
for name, text, budget in rows:
    t = [int(x) for x in text.split()]
    med = statistics.median(t)
    verdict = "" if budget is None else f" ({'within' if med < budget else 'OVER'} the {budget} ms budget)"
    print(f"{name} [{profile}]: median {med:.0f} ms, mean {statistics.mean(t):.0f} ms, "
          f"min {min(t)} ms, max {max(t)} ms over {len(t)} runs{verdict}")
PY
