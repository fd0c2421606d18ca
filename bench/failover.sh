#!/usr/bin/env bash
# Master failover with the registry in ZooKeeper (docs/registry.md):
# 3 masters (--quorum=2), AGENTS agents, TASKS running `sleep` tasks of a
# detached framework; kill -9 the leader and measure
#   * elected:  until a standby is elected, has recovered the registry and
#               serves /master/state (200),
#   * all:      until every agent has re-registered with it (all in `slaves`,
#               `recovered_slaves` empty),
#   * lost:     tasks not TASK_RUNNING on the new leader afterwards.
# Budget: all <= ZooKeeper session timeout + 5 s, lost = 0.
# Usage: bench/failover.sh [RUNS] [AGENTS] [TASKS]
#   env PROFILE=debug to use the debug build (default release),
#       SESSION=10 (seconds, --zk_session_timeout).
# Needs the Debian zookeeper package, curl and jq. Exits 1 on a missed budget.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
agents=${2:-5}
tasks=${3:-10}
profile=${PROFILE:-release}
session=${SESSION:-10}
target_dir=${CARGO_TARGET_DIR:-target}

die() { echo "bench/failover.sh: $*" >&2; exit 1; }
command -v jq >/dev/null || die "install jq (apt-get install -y jq)"
command -v curl >/dev/null || die "install curl"
JAVA=${JAVA:-$(command -v java || true)}
[ -n "$JAVA" ] || die "no java on PATH (apt-get install -y zookeeper pulls in a JRE)"
ZK_JAR=/usr/share/java/zookeeper.jar
[ -f "$ZK_JAR" ] || die "$ZK_JAR not found (apt-get install -y zookeeper)"
CP=${ZOOKEEPER_CLASSPATH:-$ZK_JAR}

if [ "$profile" = release ]; then
  cargo build --release --locked -q --bin mesos
else
  cargo build --locked -q --bin mesos
fi
bin=$PWD/$target_dir/$profile/mesos

tmp=$(mktemp -d /tmp/mesos-bench-failover.XXXXXX)
pids=()
zk_pid=
# Kill the tasks the agents started (they run in their own sessions):
# every process whose working directory is under $tmp.
kill_tasks() {
  local p cwd
  for p in /proc/[0-9]*; do
    cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
    case "$cwd" in "$tmp"/*) kill -9 "${p#/proc/}" 2>/dev/null || true ;; esac
  done
}
stop_all() {
  local p
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
  done
  pids=()
  kill_tasks
}
cleanup() {
  stop_all
  if [ -n "$zk_pid" ]; then
    kill -9 "$zk_pid" 2>/dev/null || true
    wait "$zk_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'; }
ruok() {
  local answer
  answer=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf ruok >&3 && cat <&3" 2>/dev/null) || true
  [ "$answer" = imok ]
}
wait_for() { # seconds, description, command...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || die "timed out waiting for $what"
    sleep 0.1
  done
}

zk_port=$(free_port)
mkdir -p "$tmp/zk"
cat >"$tmp/zoo.cfg" <<EOF
tickTime=500
dataDir=$tmp/zk
clientPort=$zk_port
clientPortAddress=127.0.0.1
maxClientCnxns=0
maxSessionTimeout=60000
admin.enableServer=false
4lw.commands.whitelist=*
EOF
"$JAVA" -Xms32m -Xmx256m -XX:+UseSerialGC -cp "$CP" \
  org.apache.zookeeper.server.ZooKeeperServerMain "$tmp/zoo.cfg" >"$tmp/zk.log" 2>&1 </dev/null &
zk_pid=$!
wait_for 60 "ZooKeeper" ruok "$zk_port"

elected() { # port -> 0 if that master is elected
  [ "$(curl -sf "http://127.0.0.1:$1/metrics/snapshot" | jq -r '."master/elected"' 2>/dev/null)" = 1 ]
}
leader_of() { # ports... -> prints the elected one
  local p
  for p in "$@"; do elected "$p" && { echo "$p"; return 0; }; done
  return 1
}
state() { curl -sf "http://127.0.0.1:$1/master/state"; }
registered() { # port count -> 0 when `count` agents are registered, none recovered
  local s
  s=$(state "$1") || return 1
  [ "$(jq '(.slaves | length) == '"$2"' and (.recovered_slaves | length) == 0' <<<"$s")" = true ]
}

status=0
results=()
for run in $(seq 1 "$runs"); do
  path="/bench-$run"
  zk="zk://127.0.0.1:$zk_port$path"
  ports=()
  for i in 1 2 3; do
    p=$(free_port); ports+=("$p")
    "$bin" master --ip=127.0.0.1 --port="$p" --zk="$zk" --quorum=2 \
      --zk_session_timeout="${session}secs" --work_dir="$tmp/r$run/m$i" \
      >"$tmp/r$run-m$i.log" 2>&1 </dev/null &
    pids+=($!)
    eval "mpid_$p=$!"
    disown
  done
  wait_for 120 "a leader" leader_of "${ports[@]}" >/dev/null
  leader=$(leader_of "${ports[@]}")
  for i in $(seq 1 "$agents"); do
    p=$(free_port)
    "$bin" agent --master="$zk" --ip=127.0.0.1 --port="$p" \
      --work_dir="$tmp/r$run/a$i" --resources="cpus:4;mem:4096;disk:1024" \
      >"$tmp/r$run-a$i.log" 2>&1 </dev/null &
    pids+=($!)
    disown
  done
  wait_for 120 "$agents agents" registered "$leader" "$agents"
  HOME=$tmp "$bin" execute --master "127.0.0.1:$leader" --detach --name "bench-$run" \
    --instances "$tasks" --command "sleep 600" >"$tmp/r$run-exec.out" 2>"$tmp/r$run-exec.err" \
    || die "execute failed: $(cat "$tmp/r$run-exec.err")"
  running=$(state "$leader" | jq '[.frameworks[].tasks[] | select(.state == "TASK_RUNNING")] | length')
  [ "$running" = "$tasks" ] || die "only $running of $tasks tasks running before the failover"

  eval "victim=\$mpid_$leader"
  rest=()
  for p in "${ports[@]}"; do [ "$p" = "$leader" ] || rest+=("$p"); done
  t0=$(now)
  kill -9 "$victim"
  serving() { local l; l=$(leader_of "${rest[@]}") && curl -sf -o /dev/null "http://127.0.0.1:$l/master/state"; }
  wait_for 120 "a new leader" serving
  t_elected=$(since "$t0")
  new=$(leader_of "${rest[@]}")
  wait_for 120 "all agents re-registered" registered "$new" "$agents"
  t_all=$(since "$t0")
  s=$(state "$new")
  running=$(jq '[.frameworks[].tasks[] | select(.state == "TASK_RUNNING")] | length' <<<"$s")
  recovered=$(jq '[.frameworks[] | select(.recovered)] | length' <<<"$s")
  lost=$((tasks - running))
  ok=ok
  if ! awk -v v="$t_all" -v b="$((session + 5))" 'BEGIN{exit !(v <= b)}' || [ "$lost" != 0 ]; then
    ok="OVER BUDGET"; status=1
  fi
  printf 'run %d: elected+serving %6.2f s, all %d agents re-registered %6.2f s (budget %d s), tasks lost %d of %d, recovered frameworks %d  %s\n' \
    "$run" "$t_elected" "$agents" "$t_all" "$((session + 5))" "$lost" "$tasks" "$recovered" "$ok"
  results+=("$t_all")
  stop_all
done
printf 'all agents re-registered: %s s (per run), session timeout %d s, %s build\n' "${results[*]}" "$session" "$profile"
exit $status
