#!/usr/bin/env bash
# TLS on the bundled daemons: ACCEPT -> TASK_RUNNING median (and ACCEPT ->
# TASK_FINISHED of `echo`) with a plain master+agent, then with TLS on both
# (LIBPROCESS_SSL_ENABLED, certificates verified, master<->agent over https,
# the scheduler over https). Budget: TLS within 2x of plain.
# Plain and TLS runs alternate REPEAT times (fresh daemons each time); the
# figures are the medians of the per-run medians.
# Usage: bench/tls.sh [ROUNDS] [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
rounds=${1:-20}
repeat=${2:-3}
cargo build --release --locked -q --bin mesos --example bench_launch
bin=$target_dir/release/mesos
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.2; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -sf -o /dev/null --cacert "$tmp/ca.pem" "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

# A throw-away CA and one certificate for 127.0.0.1 (server and client use).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj "/CN=bench CA" -keyout "$tmp/ca-key.pem" -out "$tmp/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$tmp/key.pem" -out "$tmp/req.pem" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >"$tmp/ext.cnf"
openssl x509 -req -in "$tmp/req.pem" -CA "$tmp/ca.pem" -CAkey "$tmp/ca-key.pem" -CAcreateserial \
  -days 1 -extfile "$tmp/ext.cnf" -out "$tmp/cert.pem" 2>/dev/null

run() { # $1 = plain|tls, $2 = run number
  local mode=$1 n=$2 scheme=http mp ap
  if [ "$mode" = tls ]; then
    scheme=https
    export LIBPROCESS_SSL_ENABLED=true LIBPROCESS_SSL_CERT_FILE="$tmp/cert.pem" \
      LIBPROCESS_SSL_KEY_FILE="$tmp/key.pem" LIBPROCESS_SSL_CA_FILE="$tmp/ca.pem" \
      LIBPROCESS_SSL_VERIFY_CERT=true
  else
    unset LIBPROCESS_SSL_ENABLED LIBPROCESS_SSL_CERT_FILE LIBPROCESS_SSL_KEY_FILE \
      LIBPROCESS_SSL_CA_FILE LIBPROCESS_SSL_VERIFY_CERT
  fi
  mp=$(free_port); ap=$(free_port)
  $bin master --ip=127.0.0.1 --port="$mp" --registry=in_memory >"$tmp/m-$mode-$n.log" 2>&1 & pids+=($!); local m=$!
  wait_http "$scheme://127.0.0.1:$mp/master/health"
  $bin agent --master="127.0.0.1:$mp" --ip=127.0.0.1 --port="$ap" --work_dir="$tmp/agent-$mode-$n" \
    --resources='cpus:2;mem:1024' >"$tmp/a-$mode-$n.log" 2>&1 & pids+=($!); local a=$!
  wait_http "$scheme://127.0.0.1:$ap/slave(1)/health"
  sleep 1
  BENCH_CA_FILE="$tmp/ca.pem" $target_dir/release/examples/bench_launch "$scheme://127.0.0.1:$mp" "$rounds" \
    | sed "s/^/$mode run $n: /" | tee -a "$tmp/$mode.out"
  kill "$m" "$a" 2>/dev/null || true
  sleep 0.3
}
for n in $(seq 1 "$repeat"); do
  run plain "$n"
  run tls "$n"
done
med() { awk -v k="$2" '$0 ~ k {print $5}' "$tmp/$1.out" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for k in accept_to_running accept_to_finished; do
  p=$(med plain "$k"); t=$(med tls "$k")
  echo "${k}_ms plain: $p tls: $t ratio: $(python3 -c "print(round($t/$p, 2))")x (budget 2x)"
done
