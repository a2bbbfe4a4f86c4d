#!/usr/bin/env bash
# Three-way proxy benchmark: the same static backend (nginx returning a fixed body) measured with wrk
#   1. directly, 2. through nginx as a reverse proxy (keepalive upstream), 3. through the activator,
# in one run, on this machine. Writes the table into docs/benchmarks.md (section "activator").
# Usage: benchmarks/activator/run.sh   (make bench-activator builds the activator first)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/benchmarks/target/activator
JAVA=${JAVA:-java}
BACKEND=18181 PROXY=18182 ACTIVATOR=18183 ADMIN=18184

# shellcheck source=benchmarks/activator/lib.sh
source "$ROOT/benchmarks/activator/lib.sh"

cleanup() {
  [ -n "${ACT_PID:-}" ] && kill "$ACT_PID" 2>/dev/null || true
  "$NGINX" -p "$OUT" -c "$OUT/proxy.conf" -s stop 2>/dev/null || true
  "$NGINX" -p "$OUT" -c "$OUT/backend.conf" -s stop 2>/dev/null || true
}
trap cleanup EXIT
"$NGINX" -p "$OUT" -c "$OUT/backend.conf"
"$NGINX" -p "$OUT" -c "$OUT/proxy.conf"
KINETIC_ACTIVATOR_PORT=$ACTIVATOR KINETIC_ACTIVATOR_ADMIN_PORT=$ADMIN \
KINETIC_ACTIVATOR_ROUTES="bench/hello=127.0.0.1:$BACKEND;timeout=30" \
  "$JAVA" -Xmx256m -XX:+UseSerialGC -jar operator/activator/target/activator.jar > "$OUT/logs/activator.log" 2>&1 &
ACT_PID=$!
for url in "http://127.0.0.1:$BACKEND/" "http://127.0.0.1:$PROXY/" "http://127.0.0.1:$ACTIVATOR/bench/hello/"; do
  wait_for "$url"
done

# shellcheck disable=SC2046 # one process id per word
direct=$(measure direct "http://127.0.0.1:$BACKEND/" $(nginx_pids backend))
# shellcheck disable=SC2046
nginx=$(measure nginx "http://127.0.0.1:$PROXY/" $(nginx_pids proxy))
activator=$(measure activator "http://127.0.0.1:$ACTIVATOR/bench/hello/" "$ACT_PID")
transport=$(grep -o 'network transport: [a-z_]*' "$OUT/logs/activator.log" | head -1 | cut -d' ' -f3)
rss_mib=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$ACT_PID/status")

read -r _ d_rps d_p50 d_p99 _ <<< "$direct"
read -r _ n_rps n_p50 n_p99 n_user n_system _ <<< "$nginx"
read -r _ a_rps a_p50 a_p99 a_user a_system _ <<< "$activator"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
{
  echo "Measured $(date -u +%F) with \`make bench-activator\` on $(nproc) cores: wrk -t2 -c$CONNECTIONS, $WARMUP warm-up then $DURATION per row; backend nginx (1 worker, fixed 14-byte body); proxy nginx with one worker per core and a keepalive upstream; activator with one event loop per core on ${transport:-an unnamed transport}, $("$JAVA" -version 2>&1 | head -1 | tr -d '"'), -Xmx256m, SerialGC. CPU columns: user and kernel time per request of the processes serving the row (the backend for direct, the proxy for the others)."
  echo
  echo "| path | requests/s | p50 ms | p99 ms | user µs/req | kernel µs/req | errors |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  for row in "$direct" "$nginx" "$activator"; do
    read -r name rps p50 p99 user system errors <<< "$row"
    echo "| $name | $rps | $p50 | $p99 | $user | $system | $errors |"
  done
  echo
  echo "Activator vs nginx: throughput $(ratio "$a_rps" "$n_rps")× (goal ≥ 0.9), p99 $(ratio "$a_p99" "$n_p99")× (goal ≤ 1.5), CPU per request $(ratio "$(sum "$a_user" "$a_system")" "$(sum "$n_user" "$n_system")")×. Activator vs direct: throughput $(ratio "$a_rps" "$d_rps")×. Activator peak resident memory during the run: ${rss_mib} MiB."
} > "$OUT/results.md"
cat "$OUT/results.md"
"$JAVA" -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md activator "$OUT/results.md"
