#!/usr/bin/env bash
# What the function images' JIT setting costs once warm: the `hello` and `json-echo` examples under wrk,
# each started twice, with the images' flags (tiered compilation, C2 for hot code) and with local mode's
# (C1 only, which starts the JSON examples 20-25 % sooner: docs/benchmarks.md, cold start). All four run at
# once; after WARMUP each, ROUNDS rounds of DURATION per process in alternation; medians per row, with the
# throughput, p99 and CPU per request of C1 only against tiered. Writes docs/benchmarks.md (section
# "runtime-tiers").
# Usage: benchmarks/runtime/tiers.sh   (make bench-runtime-tiers builds the examples first)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/benchmarks/target/runtime-tiers
JAVA=${JAVA:-java}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-30s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-16}
# The images' flags (BuildImages.example) with a heap a 256 MiB pod would give (MaxRAMPercentage=75);
# local mode adds -XX:TieredStopAtLevel=1 (Manifests).
IMAGE_FLAGS="-XX:+UseSerialGC -Xmx192m"
declare -A FLAGS=([tiered]="$IMAGE_FLAGS" [c1-only]="$IMAGE_FLAGS -XX:TieredStopAtLevel=1")
declare -A PORT=([hello-tiered]=18201 [hello-c1-only]=18202 [json-echo-tiered]=18203 [json-echo-c1-only]=18204)
declare -A PID=()
mkdir -p "$OUT/logs"
# shellcheck source=benchmarks/lib/measure.sh
source "$ROOT/benchmarks/lib/measure.sh"

cat > "$OUT/json-echo.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"message":"a message of about the length of a small request body, echoed back"}'
wrk.headers["Content-Type"] = "application/json"
LUA
script() { [ "${1%%-*}" = json ] && echo "$OUT/json-echo.lua" || true; }
url() { echo "http://127.0.0.1:${PORT[$1]}/?name=bench"; }

cleanup() { for pid in "${PID[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
for name in "${!PORT[@]}"; do
  example=${name%-tiered}; example=${example%-c1-only}
  # shellcheck disable=SC2086 # the flags are words
  PORT=${PORT[$name]} KINETIC_METRICS_PORT=0 \
    "$JAVA" ${FLAGS[${name#"$example"-}]} -jar "examples/$example/target/function.jar" > "$OUT/logs/$name.log" 2>&1 &
  PID[$name]=$!
done
for name in "${!PORT[@]}"; do wait_for "http://127.0.0.1:${PORT[$name]}/readyz"; done
for name in "${!PORT[@]}"; do WRK_SCRIPT=$(script "$name") warm_up "$(url "$name")"; done
: > "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  # The order alternates, so that the machine's drift within a round does not favour one row.
  order=(hello-tiered hello-c1-only json-echo-tiered json-echo-c1-only)
  if [ $((round % 2)) = 0 ]; then order=(json-echo-c1-only json-echo-tiered hello-c1-only hello-tiered); fi
  for name in "${order[@]}"; do
    WRK_SCRIPT=$(script "$name") row "$name" "$(url "$name")" "${PID[$name]}" | tee -a "$OUT/rounds.txt"
  done
done

row_medians() { # name: the row of medians of each column
  local name=$1 col values=()
  for col in 2 3 4 5 6; do values+=("$(awk -v n="$name" -v c="$col" '$1 == n { print $c }' "$OUT/rounds.txt" | median)"); done
  echo "$name ${values[*]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "Measured $(date -u +%F) with \`make bench-runtime-tiers\` on $(nproc) cores: wrk -t2 -c$CONNECTIONS, $WARMUP warm-up per process, then $ROUNDS rounds of $DURATION per process in alternation, medians shown; $("$JAVA" -version 2>&1 | head -1 | tr -d '"'); tiered = \`$IMAGE_FLAGS\` (the images), C1 only = the same with \`-XX:TieredStopAtLevel=1\` (local mode). \`json-echo\` gets a POST of an 82-byte JSON body. CPU columns: user and kernel time per request of the function's process."
  echo
  echo "| example, JIT | requests/s | p50 ms | p99 ms | user µs/req | kernel µs/req |"
  echo "| --- | --- | --- | --- | --- | --- |"
  for name in hello-tiered hello-c1-only json-echo-tiered json-echo-c1-only; do
    read -r n rps p50 p99 user system <<< "$(row_medians "$name")"
    echo "| $n | $rps | $p50 | $p99 | $user | $system |"
  done
  echo
  for example in hello json-echo; do
    read -r _ t_rps _ t_p99 t_user t_system <<< "$(row_medians "$example-tiered")"
    read -r _ c_rps _ c_p99 c_user c_system <<< "$(row_medians "$example-c1-only")"
    echo "\`$example\`, C1 only against tiered: throughput $(ratio "$c_rps" "$t_rps")×, p99 $(ratio "$c_p99" "$t_p99")×, CPU per request $(ratio "$(awk -v a="$c_user" -v b="$c_system" 'BEGIN { print a + b }')" "$(awk -v a="$t_user" -v b="$t_system" 'BEGIN { print a + b }')")×."
    echo
  done
} > "$OUT/results.md"
cat "$OUT/results.md"
"$JAVA" -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md runtime-tiers "$OUT/results.md"
