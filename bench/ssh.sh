#!/usr/bin/env bash
# `mesos scp` and `mesos node exec` against two real OpenSSH servers on
# 127.0.0.2 and 127.0.0.3 (generated host and user keys, run as the current
# user) and two bundled agents registered with those hostnames.
#  * scp of a 10 MB file to both hosts vs to one host.
#    Budget: two hosts under 1.5x the single-host time.
#    Both "hosts" share this machine's filesystem, so for fresh copies each
#    gets a second sshd (as root) that chroots its SFTP sessions into a
#    directory of its own: otherwise the two copies would race for the same
#    path, and the loser has to replace the winner's file.
#  * `node exec -- true` on both hosts. Budget: under 500 ms.
# Binary: $MESOS_BIN, else /tmp/ssh-bench-target/release/mesos or
# target/release/mesos when they have `scp`, else the debug build.
# Usage: bench/ssh.sh [RUNS]   (default 10 runs each, after 2 warm-ups)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
bin=${MESOS_BIN:-}
if [ -z "$bin" ]; then
  for b in /tmp/ssh-bench-target/release/mesos "${CARGO_TARGET_DIR:-target}/release/mesos"; do
    if [ -x "$b" ] && "$b" scp --help >/dev/null 2>&1; then bin=$b; break; fi
  done
fi
if [ -z "$bin" ]; then
  cargo build -q
  bin=${CARGO_TARGET_DIR:-target}/debug/mesos
fi
echo "binary: $bin" >&2
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
[ -x /usr/sbin/sshd ] || apt-get install -y openssh-server openssh-client >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "${1:-127.0.0.1}"; }

mkdir -p "$work/home/.ssh" "$work/home-sftp/.ssh" /run/sshd
# sshd accepts a ChrootDirectory only when every component of its path is
# root-owned and not writable by others (so not under /tmp).
chroot_base=
if [ "$(id -u)" = 0 ]; then
  chroot_base=$(mktemp -d /var/cache/mesos-ssh-bench.XXXXXX)
  chmod 755 "$chroot_base"
fi
cleanup_chroot() { [ -n "$chroot_base" ] && rm -rf "$chroot_base"; cleanup; }
trap cleanup_chroot EXIT
ssh-keygen -q -t ed25519 -N '' -C bench-user -f "$work/user_key"
: > "$work/home/.ssh/known_hosts"
: > "$work/home/.ssh/config"
for ip in 127.0.0.2 127.0.0.3; do
  d=$work/sshd-$ip
  mkdir -p "$d"
  ssh-keygen -q -t ed25519 -N '' -C "bench-host-$ip" -f "$d/host_key"
  cp "$work/user_key.pub" "$d/authorized_keys"
  port=$(free_port "$ip")
  cat > "$d/sshd_config" <<EOF
Port $port
ListenAddress $ip
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PrintMotd no
MaxSessions 100
MaxStartups 100:30:200
Subsystem sftp internal-sftp
EOF
  /usr/sbin/sshd -D -e -f "$d/sshd_config" >"$d/log" 2>&1 &
  pids+=($!)
  echo "[$ip]:$port $(cut -d' ' -f1-2 "$d/host_key.pub")" >> "$work/home/.ssh/known_hosts"
  printf 'Host %s\n  Port %s\n' "$ip" "$port" >> "$work/home/.ssh/config"
  if [ -n "$chroot_base" ]; then
    mkdir -p "$chroot_base/$ip/dest"
    sport=$(free_port "$ip")
    sed -e "s/^Port .*/Port $sport/" -e "s|^PidFile .*|PidFile $d/sftp.pid|" "$d/sshd_config" > "$d/sftp_config"
    printf 'ChrootDirectory %s\nForceCommand internal-sftp\n' "$chroot_base/$ip" >> "$d/sftp_config"
    /usr/sbin/sshd -D -e -f "$d/sftp_config" >"$d/sftp.log" 2>&1 &
    pids+=($!)
    echo "[$ip]:$sport $(cut -d' ' -f1-2 "$d/host_key.pub")" >> "$work/home-sftp/.ssh/known_hosts"
    printf 'Host %s\n  Port %s\n' "$ip" "$sport" >> "$work/home-sftp/.ssh/config"
  fi
done

# Master on 127.0.0.1, one agent registered as each ssh host.
mport=$(free_port)
"$bin" master --ip=127.0.0.1 --port="$mport" --registry=in_memory --log_dir="$work/mlog" >"$work/master.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$mport/master/health" >/dev/null && break; sleep 0.1; done
for ip in 127.0.0.2 127.0.0.3; do
  "$bin" agent --master="127.0.0.1:$mport" --ip="$ip" --hostname="$ip" --port="$(free_port "$ip")" \
    --work_dir="$work/agent-$ip" --resources='cpus:2;mem:1024;disk:1024' >"$work/agent-$ip.out" 2>&1 &
  pids+=($!)
done
export HOME=$work/home MESOS_MASTER=127.0.0.1:$mport MESOS_CONFIG=$work/config.toml NO_COLOR=1
printf 'active = "bench"\n[profiles.bench]\nssh_key = "%s"\n' "$work/user_key" > "$MESOS_CONFIG"
for _ in $(seq 1 100); do
  [ "$("$bin" agents -q 2>/dev/null | wc -l)" -ge 2 ] && break
  sleep 0.1
done
[ "$("$bin" agents -q | wc -l)" -ge 2 ] || { echo "agents did not register" >&2; exit 1; }

head -c 10000000 /dev/urandom > "$work/big.bin"
mkdir -p "$work/dest"
# Correctness first.
"$bin" scp "$work/big.bin" "$work/dest" >&2
cmp "$work/big.bin" "$work/dest/big.bin"
[ "$("$bin" node exec -- true 2>&1 >/dev/null)" = "2 hosts: all exited 0" ]

# Fresh copies (the file is removed before each run: SFTP rename only),
# each host into its own chroot when running as root.
if [ -n "$chroot_base" ]; then
  fresh_env="env HOME=$work/home-sftp"
  fresh_dir=/dest
  "$bin" scp "$work/big.bin" /dest >/dev/null 2>&1 || true
  HOME=$work/home-sftp "$bin" scp "$work/big.bin" /dest >&2
  cmp "$work/big.bin" "$chroot_base/127.0.0.2/dest/big.bin"
  cmp "$work/big.bin" "$chroot_base/127.0.0.3/dest/big.bin"
  prepare="rm -f $chroot_base/127.0.0.2/dest/big.bin $chroot_base/127.0.0.3/dest/big.bin"
else
  echo "warning: not root: fresh copies to both hosts race for the same path" >&2
  fresh_env="env HOME=$HOME"
  fresh_dir=$work/dest
  prepare="rm -f $work/dest/big.bin"
fi
hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/scp.json" --prepare "$prepare" \
  -n "scp 10 MB to 1 host" "$fresh_env $bin scp $work/big.bin $fresh_dir --agent 127.0.0.2" \
  -n "scp 10 MB to 2 hosts" "$fresh_env $bin scp $work/big.bin $fresh_dir" >&2
# Replacing copies (the file exists: `mv -f` through the remote shell, whose
# start-up overlaps the transfer), `node exec`, and `ssh HOST true` with the
# OpenSSH client: the floor for one remote command on this machine (the
# login shell's start-up files run for every command).
port2=$(awk '/127.0.0.2/{getline; print $2}' "$HOME/.ssh/config")
hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/more.json" \
  -n "scp 10 MB to 1 host, replacing" "$bin scp $work/big.bin $work/dest --agent 127.0.0.2" \
  -n "scp 10 MB to 2 hosts, replacing" "$bin scp $work/big.bin $work/dest" \
  -n "node exec -- true on 2 hosts" "$bin node exec -- true" \
  -n "OpenSSH: ssh HOST true, 1 host" "ssh -F /dev/null -o BatchMode=yes -o UserKnownHostsFile=$HOME/.ssh/known_hosts -i $work/user_key -p $port2 $(id -un)@127.0.0.2 true" >&2
python3 - "$work/scp.json" "$work/more.json" <<'PY'
import json, sys
r = {}
for f in sys.argv[1:]:
    r.update({x["command"]: x for x in json.load(open(f))["results"]})
ms = lambda x: f"median {x['median']*1000:.0f} ms (min {x['min']*1000:.0f}, max {x['max']*1000:.0f})"
for name in r:
    print(f"{name}: {ms(r[name])}")
for kind in ["", ", replacing"]:
    one, two = r[f"scp 10 MB to 1 host{kind}"], r[f"scp 10 MB to 2 hosts{kind}"]
    ratio = two["median"] / one["median"]
    print(f"scp{kind or ', fresh'}: 2 hosts / 1 host = {ratio:.2f}x (budget < 1.5x) {'OK' if ratio < 1.5 else 'OVER BUDGET'}")
ex = r["node exec -- true on 2 hosts"]
print(f"node exec -- true, 2 hosts: {ex['median']*1000:.0f} ms (budget < 500 ms) {'OK' if ex['median'] < 0.5 else 'OVER BUDGET'}")
PY
