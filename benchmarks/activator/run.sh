#!/usr/bin/env bash
# Three-way proxy benchmark: the same static backend (nginx returning a fixed body) measured with wrk
#   1. directly, 2. through nginx as a reverse proxy (keepalive upstream), 3. through the activator,
# in one run, on this machine, in alternating rounds (ROUNDS, default 3, of DURATION, default 10s). Writes the table into docs/benchmarks.md (section "activator").
# Usage: benchmarks/activator/run.sh   (make bench-activator builds the activator first)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/benchmarks/target/activator
JAVA=${JAVA:-java}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
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

# Each path is warmed up, then the three are measured in alternating rounds (direct, nginx, activator,
# direct, ...) and each row reports its medians: this machine's speed drifts by more than the differences
# measured, and alternating lets a slow minute hit all three alike instead of one row.
warm_up "http://127.0.0.1:$BACKEND/"
warm_up "http://127.0.0.1:$PROXY/"
warm_up "http://127.0.0.1:$ACTIVATOR/bench/hello/"
: > "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  # shellcheck disable=SC2046 # one process id per word
  row direct "http://127.0.0.1:$BACKEND/" $(nginx_pids backend) >> "$OUT/rounds.txt"
  # shellcheck disable=SC2046
  row nginx "http://127.0.0.1:$PROXY/" $(nginx_pids proxy) >> "$OUT/rounds.txt"
  row activator "http://127.0.0.1:$ACTIVATOR/bench/hello/" "$ACT_PID" >> "$OUT/rounds.txt"
done
# The median of one column (2 = requests/s ... 6 = kernel µs) of one row's rounds.
column_median() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$OUT/rounds.txt" | median; }
row_medians() {
  local errors
  errors=$(awk -v n="$1" '$1 == n { $1 = $2 = $3 = $4 = $5 = $6 = ""; print }' "$OUT/rounds.txt" | sed 's/^ *//' | sort -u | { grep -v '^none$' || true; } | tr '\n' ' ')
  echo "$1 $(column_median "$1" 2) $(column_median "$1" 3) $(column_median "$1" 4) $(column_median "$1" 5) $(column_median "$1" 6) ${errors:-none}"
}
direct=$(row_medians direct)
nginx=$(row_medians nginx)
activator=$(row_medians activator)
# Activator over nginx in each round, for the spread behind the medians.
per_round=$(awk '$1 == "nginx" { n = $2; p = $4 } $1 == "activator" { printf "%s%.2f× (p99 %.2f×)", sep, $2 / n, $4 / p; sep = ", " }' "$OUT/rounds.txt")
transport=$(grep -o 'network transport: [a-z_]*' "$OUT/logs/activator.log" | head -1 | cut -d' ' -f3)
rss_mib=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$ACT_PID/status")

read -r _ d_rps d_p50 d_p99 _ <<< "$direct"
read -r _ n_rps n_p50 n_p99 n_user n_system _ <<< "$nginx"
read -r _ a_rps a_p50 a_p99 a_user a_system _ <<< "$activator"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
{
  echo "Measured $(date -u +%F) with \`make bench-activator\` on $(nproc) cores: wrk -t2 -c$CONNECTIONS, $WARMUP warm-up per path, then $ROUNDS rounds of $DURATION per path in alternation, medians shown; backend nginx (1 worker, fixed 14-byte body); proxy nginx with one worker per core and a keepalive upstream; activator with one event loop per core on ${transport:-an unnamed transport}, $("$JAVA" -version 2>&1 | head -1 | tr -d '"'), -Xmx256m, SerialGC. CPU columns: user and kernel time per request of the processes serving the row (the backend for direct, the proxy for the others)."
  echo
  echo "| path | requests/s | p50 ms | p99 ms | user µs/req | kernel µs/req | errors |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  for row in "$direct" "$nginx" "$activator"; do
    read -r name rps p50 p99 user system errors <<< "$row"
    echo "| $name | $rps | $p50 | $p99 | $user | $system | $errors |"
  done
  echo
  echo "Activator vs nginx: throughput $(ratio "$a_rps" "$n_rps")× (goal ≥ 0.9), p99 $(ratio "$a_p99" "$n_p99")× (goal ≤ 1.5), CPU per request $(ratio "$(sum "$a_user" "$a_system")" "$(sum "$n_user" "$n_system")")×. Activator vs direct: throughput $(ratio "$a_rps" "$d_rps")×. Activator peak resident memory during the run: ${rss_mib} MiB. Activator vs nginx per round: $per_round."
} > "$OUT/results.md"
cat "$OUT/results.md"
"$JAVA" -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md activator "$OUT/results.md"
