# Shared by bench/cat.sh and bench/tail.sh: pick the binary, start a bundled
# master and agent on free loopback ports, clean up on exit.
target_dir=${CARGO_TARGET_DIR:-target}
bin=${MESOS_BIN:-}
if [ -z "$bin" ]; then
  if [ -x "$target_dir/release/mesos" ] && "$target_dir/release/mesos" tail --help >/dev/null 2>&1; then
    bin=$target_dir/release/mesos
  else
    cargo build -q
    bin=$target_dir/debug/mesos
  fi
fi
echo "binary: $bin" >&2
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_cluster [extra agent flags...]: sets MESOS_MASTER, agent_port
start_cluster() {
  local mport; mport=$(free_port)
  agent_port=$(free_port)
  "$bin" master --ip=127.0.0.1 --port="$mport" --registry=in_memory --log_dir="$work/mlog" >"$work/master.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$mport/master/health" >/dev/null && break; sleep 0.1; done
  "$bin" agent --master="127.0.0.1:$mport" --ip=127.0.0.1 --port="$agent_port" --work_dir="$work/agent" \
    --resources='cpus:4;mem:4096;disk:10000' "$@" >"$work/agent.out" 2>&1 &
  pids+=($!)
  export MESOS_MASTER=127.0.0.1:$mport
  for _ in $(seq 1 100); do
    [ "$("$bin" agents -q 2>/dev/null | wc -l)" -ge 1 ] && return 0
    sleep 0.1
  done
  echo "agent did not register" >&2; cat "$work/agent.out" >&2; exit 1
}

# run_task NAME COMMAND: launch a detached task and wait until it runs.
run_task() {
  "$bin" execute --detach --name "$1" --resources 'cpus:0.1;mem:64' -c "$2" >/dev/null
}

# wait_file TASK FILE: until the sandbox has FILE.
wait_file() {
  for _ in $(seq 1 600); do
    "$bin" ls "$1" 2>/dev/null | grep -qx "$2" && return 0
    sleep 0.1
  done
  echo "$2 never appeared in $1's sandbox" >&2; exit 1
}
