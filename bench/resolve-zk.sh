#!/usr/bin/env bash
# Leader resolution through ZooKeeper, end to end (process start included):
#   * `mesos resolve zk://127.0.0.1:PORT/mesos` against a real ZooKeeper with
#     one json.info_ node           -> budget: median under 50 ms
#   * `mesos resolve --timeout 2s zk://DEAD1,DEAD2,DEAD3/mesos` (nothing
#     listens on any member)        -> budget: median 2 s +/- 0.3 s
# Needs the Debian zookeeper package and hyperfine
# (apt-get install -y zookeeper hyperfine). Prints the medians; exits 1 when
# a budget is missed.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "bench/resolve-zk.sh: $*" >&2; exit 1; }
command -v hyperfine >/dev/null || die "install hyperfine (apt-get install -y hyperfine)"
command -v jq >/dev/null || die "install jq (apt-get install -y jq)"
JAVA=${JAVA:-$(command -v java || true)}
[ -n "$JAVA" ] || die "no java on PATH (apt-get install -y zookeeper pulls in a JRE)"

# Classpath as Debian builds it (/etc/zookeeper/conf/environment:
# CLASSPATH=/etc/zookeeper/conf:/usr/share/java/zookeeper.jar); the jar's
# manifest Class-Path brings in slf4j, netty, jline, ... from /usr/share/java.
# The conf dir is left out: its log4j config logs to /var/log/zookeeper.
ZK_JAR=/usr/share/java/zookeeper.jar
[ -f "$ZK_JAR" ] || die "$ZK_JAR not found (apt-get install -y zookeeper)"
CP=${ZOOKEEPER_CLASSPATH:-$ZK_JAR}

cargo build --release -q
bin=$PWD/target/release/mesos

tmp=$(mktemp -d /tmp/mesos-bench-zk.XXXXXX)
zk_pid=
cleanup() {
  if [ -n "$zk_pid" ]; then
    kill -9 "$zk_pid" 2>/dev/null || true
    wait "$zk_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Set $free to a TCP port on 127.0.0.1 with nothing listening (connect is
# refused), distinct from the ones picked before.
used_ports=" "
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    case "$used_ports" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      used_ports="$used_ports$p "
      free=$p
      return
    fi
  done
  die "no free port found"
}

ruok() {
  local answer
  answer=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf ruok >&3 && cat <&3" 2>/dev/null) || true
  [ "$answer" = imok ]
}

# Start ZooKeeper; retry on another port if the chosen one got taken.
start_zk() {
  local attempt deadline
  for attempt in 1 2 3; do
    free_port; port=$free
    mkdir -p "$tmp/data"
    cat >"$tmp/zoo.cfg" <<EOF
tickTime=500
dataDir=$tmp/data
clientPort=$port
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=*
EOF
    "$JAVA" -Xms32m -Xmx256m -XX:+UseSerialGC -cp "$CP" \
      org.apache.zookeeper.server.ZooKeeperServerMain "$tmp/zoo.cfg" >"$tmp/zk.log" 2>&1 </dev/null &
    zk_pid=$!
    deadline=$((SECONDS + 60))
    while [ $SECONDS -lt $deadline ]; do
      ruok "$port" && return 0
      kill -0 "$zk_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$zk_pid" 2>/dev/null || true
    wait "$zk_pid" 2>/dev/null || true
    zk_pid=
    echo "ZooKeeper attempt $attempt failed; log:" >&2
    tail -5 "$tmp/zk.log" >&2 || true
  done
  die "ZooKeeper did not start"
}
start_zk

free_port; master_port=$free
info=$(printf '{"id":"bench-master","ip":16777343,"port":%d,"pid":"master@127.0.0.1:%d","hostname":"localhost","version":"1.11.0","address":{"hostname":"localhost","ip":"127.0.0.1","port":%d},"capabilities":[{"type":"AGENT_UPDATE"}]}' \
  "$master_port" "$master_port" "$master_port")
zkcli() { "$JAVA" -cp "$CP" org.apache.zookeeper.ZooKeeperMain -server "127.0.0.1:$port" "$@" >>"$tmp/cli.log" 2>&1; }
zkcli create /mesos ""
# Persistent sequential: an ephemeral node would vanish with zkCli's session.
zkcli create -s /mesos/json.info_ "$info"

got=$("$bin" resolve "zk://127.0.0.1:$port/mesos")
[ "$got" = "127.0.0.1:$master_port" ] || die "resolve printed '$got', expected 127.0.0.1:$master_port"

free_port; d1=$free; free_port; d2=$free; free_port; d3=$free
dead="127.0.0.1:$d1,127.0.0.1:$d2,127.0.0.1:$d3"
hyperfine -N --warmup 5 --runs 50 --export-json "$tmp/live.json" \
  "$bin resolve zk://127.0.0.1:$port/mesos" >&2
hyperfine -N -i --warmup 1 --runs 10 --export-json "$tmp/dead.json" \
  "$bin resolve --timeout 2s zk://$dead/mesos" >&2

median_ms() { jq -r '.results[0].median * 1000' "$1"; }
live=$(median_ms "$tmp/live.json")
dead_ms=$(median_ms "$tmp/dead.json")
status=0
verdict() { # value awk-condition-on-v -> sets $v_ok
  if awk "BEGIN{v=$1; exit !($2)}"; then v_ok=ok; else v_ok="OVER BUDGET"; status=1; fi
}
verdict "$live" 'v < 50'
printf 'resolve, live ZooKeeper:       median %8.2f ms  (budget < 50 ms)        %s\n' "$live" "$v_ok"
verdict "$dead_ms" 'v >= 1700 && v <= 2300'
printf 'resolve, 3 dead members, 2s:   median %8.2f ms  (budget 2000 +/- 300 ms) %s\n' "$dead_ms" "$v_ok"
exit $status
