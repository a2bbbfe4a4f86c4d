#!/usr/bin/env bash
# Proxy benchmark: the same static backend (nginx returning a fixed body) measured with wrk
#   1. directly, 2. through nginx as a reverse proxy (keepalive upstream), 3. through the activator on
#   io_uring, 4. through the activator on epoll (what a container runtime's default seccomp profile leaves),
# and, when FLOOR_CP names the activator's test class path (make bench-activator does), four floors on
# the activator's Netty, epoll and flags that do less than any HTTP proxy can (FloorProxy): 5. relaying
# bytes, 6. forwarding header bytes as they came with the path rewritten and the activator's headers
# added, 7. the same work on the messages of Netty's HTTP codecs, as the activator decodes and encodes
# them, 8. the work of 6 with each message framed by Jetty's HTTP parser — in one run, on this machine,
# in alternating rounds (ROUNDS, default 3, of DURATION, default 10s). The activators run with the
# image's JVM flags (operator/activator/jvm-flags). Writes the table into docs/benchmarks.md (section
# "activator").
# Usage: benchmarks/activator/run.sh   (make bench-activator builds the activator first)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/benchmarks/target/activator
JAVA=${JAVA:-java}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
BACKEND=18181 PROXY=18182
declare -A PORT=([io_uring]=18183 [epoll]=18185 [bytes]=18187 [heads]=18188 [codec]=18189 [jetty]=18190) PID=()
FLOORS=()
[ -n "${FLOOR_CP:-}" ] && FLOORS=(bytes heads codec jetty)

# shellcheck source=benchmarks/activator/lib.sh
source "$ROOT/benchmarks/activator/lib.sh"

cleanup() {
  for pid in "${PID[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$NGINX" -p "$OUT" -c "$OUT/proxy.conf" -s stop 2>/dev/null || true
  "$NGINX" -p "$OUT" -c "$OUT/backend.conf" -s stop 2>/dev/null || true
}
trap cleanup EXIT
"$NGINX" -p "$OUT" -c "$OUT/backend.conf"
"$NGINX" -p "$OUT" -c "$OUT/proxy.conf"
for transport in io_uring epoll; do
  KINETIC_ACTIVATOR_TRANSPORT=$transport start_activator operator/activator/target/activator.jar \
    "${PORT[$transport]}" "activator-$transport" "$ACTIVATOR_FLAGS"
  PID[$transport]=$STARTED_PID
done
for floor in "${FLOORS[@]}"; do
  # shellcheck disable=SC2086 # the flags are words
  "$JAVA" $ACTIVATOR_FLAGS -cp "$FLOOR_CP" dev.kinetic.activator.FloorProxy "$floor" "${PORT[$floor]}" \
    "$BACKEND" /bench/hello > "$OUT/logs/floor-$floor.log" 2>&1 &
  PID[$floor]=$!
done
url() { echo "http://127.0.0.1:${PORT[$1]}/bench/hello/"; }
for url in "http://127.0.0.1:$BACKEND/" "http://127.0.0.1:$PROXY/" "$(url io_uring)" "$(url epoll)"; do
  wait_for "$url"
done
for floor in "${FLOORS[@]}"; do wait_for "$(url "$floor")"; done

# Each path is warmed up, then all are measured in alternating rounds (direct, nginx, activator,
# activator, direct, ...) and each row reports its medians: this machine's speed drifts by more than the
# differences measured, and alternating lets a slow minute hit all of them alike instead of one row.
warm_up "http://127.0.0.1:$BACKEND/"
warm_up "http://127.0.0.1:$PROXY/"
warm_up "$(url io_uring)"
warm_up "$(url epoll)"
for floor in "${FLOORS[@]}"; do warm_up "$(url "$floor")"; done
: > "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  # shellcheck disable=SC2046 # one process id per word
  row direct "http://127.0.0.1:$BACKEND/" $(nginx_pids backend) >> "$OUT/rounds.txt"
  # shellcheck disable=SC2046
  row nginx "http://127.0.0.1:$PROXY/" $(nginx_pids proxy) >> "$OUT/rounds.txt"
  row activator-io_uring "$(url io_uring)" "${PID[io_uring]}" >> "$OUT/rounds.txt"
  row activator-epoll "$(url epoll)" "${PID[epoll]}" >> "$OUT/rounds.txt"
  for floor in "${FLOORS[@]}"; do
    row "floor-$floor" "$(url "$floor")" "${PID[$floor]}" >> "$OUT/rounds.txt"
  done
done
# The median of one column (2 = requests/s ... 6 = kernel µs) of one row's rounds.
column_median() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$OUT/rounds.txt" | median; }
row_medians() {
  local errors
  errors=$(awk -v n="$1" '$1 == n { $1 = $2 = $3 = $4 = $5 = $6 = ""; print }' "$OUT/rounds.txt" | sed 's/^ *//' | sort -u | { grep -v '^none$' || true; } | tr '\n' ' ')
  echo "$1 $(column_median "$1" 2) $(column_median "$1" 3) $(column_median "$1" 4) $(column_median "$1" 5) $(column_median "$1" 6) ${errors:-none}"
}
# One activator row over nginx in each round, for the spread behind the medians.
per_round() {
  awk -v a="$1" '$1 == "nginx" { n = $2; p = $4 } $1 == a { printf "%s%.2f× (p99 %.2f×)", sep, $2 / n, $4 / p; sep = ", " }' "$OUT/rounds.txt"
}
direct=$(row_medians direct)
nginx=$(row_medians nginx)
read -r _ d_rps _ <<< "$direct"
read -r _ n_rps _ n_p99 n_user n_system _ <<< "$nginx"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
{
  echo "Measured $(date -u +%F) with \`make bench-activator\` on $(nproc) cores: wrk -t2 -c$CONNECTIONS, $WARMUP warm-up per path, then $ROUNDS rounds of $DURATION per path in alternation, medians shown; backend nginx (1 worker, fixed 14-byte body); proxy nginx with one worker per core and a keepalive upstream; two activators (one per transport), each with one event loop per core, $("$JAVA" -version 2>&1 | head -1 | tr -d '"'), the image's flags (\`$ACTIVATOR_FLAGS\`). CPU columns: user and kernel time per request of the processes serving the row (the backend for direct, the proxy for the others)."
  echo
  echo "| path | requests/s | p50 ms | p99 ms | user µs/req | kernel µs/req | errors |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  rows=("$direct" "$nginx")
  for transport in io_uring epoll; do rows+=("$(row_medians "activator-$transport")"); done
  for floor in "${FLOORS[@]}"; do rows+=("$(row_medians "floor-$floor")"); done
  for row in "${rows[@]}"; do
    read -r name rps p50 p99 user system errors <<< "$row"
    echo "| $name | $rps | $p50 | $p99 | $user | $system | $errors |"
  done
  echo
  for transport in io_uring epoll; do
    read -r _ a_rps _ a_p99 a_user a_system _ <<< "$(row_medians "activator-$transport")"
    # The transport the activator reports having taken, in case the kernel refused the one named.
    took=$(grep -o 'network transport: [a-z_]*' "$OUT/logs/activator-$transport.log" | head -1 | cut -d' ' -f3)
    echo "Activator on ${took:-$transport} vs nginx: throughput $(ratio "$a_rps" "$n_rps")× (goal ≥ 1.0), p99 $(ratio "$a_p99" "$n_p99")× (goal ≤ 1.2), CPU per request $(ratio "$(sum "$a_user" "$a_system")" "$(sum "$n_user" "$n_system")")× (goal ≤ 1.0); vs direct $(ratio "$a_rps" "$d_rps")×; peak resident memory $(peak_rss_mib "${PID[$transport]}") MiB (goal ≤ 96); per round $(per_round "activator-$transport")."
    echo
  done
  if [ ${#FLOORS[@]} -gt 0 ]; then
    echo "Floors (not proxies one could run; \`FloorProxy\` in the activator's tests): floor-bytes relays bytes, no HTTP; floor-heads forwards each head's bytes as they came, with the path rewritten and X-Forwarded-For, X-Request-Id, traceparent added (X-Request-Id on the response), without Netty's HTTP codec; floor-codec does the same on the messages of Netty's HTTP codecs, as the activator decodes and encodes them, and nothing else the activator does; floor-jetty is floor-heads with each message framed and its headers validated by Jetty's HTTP parser (\`HttpParser\`), the bytes still passed on as they came. Per round over nginx: floor-bytes $(per_round floor-bytes); floor-heads $(per_round floor-heads); floor-codec $(per_round floor-codec); floor-jetty $(per_round floor-jetty)."
    echo
  fi
} > "$OUT/results.md"
cat "$OUT/results.md"
"$JAVA" -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md activator "$OUT/results.md"
