#!/usr/bin/env bash
# Two activator builds side by side, to decide whether a change helps on a machine whose speed drifts by
# more than the change: both run at once behind the same static backend, are warmed up, then measured in
# turns (A, B, A, B, ...), so a slow minute hits both alike. Prints one row per turn and each build's median.
# Usage: benchmarks/activator/ab.sh <jar A> <jar B> [rounds]
#   e.g. keep a copy of operator/activator/target (jar + lib/) from before a change as A; or give the same
#   jar twice with FLAGS_A / FLAGS_B (JVM flags, default: the image's) or ENV_A / ENV_B (NAME=value words,
#   e.g. ENV_B=KINETIC_ACTIVATOR_EVENT_LOOPS=1) to compare settings.
#   Each build's peak resident memory is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/benchmarks/target/activator-ab
JAVA=${JAVA:-java}
DURATION=${DURATION:-8s}
JAR_A=$(realpath "$1") JAR_B=$(realpath "$2") ROUNDS=${3:-4}
BACKEND=18191 PROXY=18192
# shellcheck source=benchmarks/activator/lib.sh
source "$ROOT/benchmarks/activator/lib.sh"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$NGINX" -p "$OUT" -c "$OUT/backend.conf" -s stop 2>/dev/null || true
}
trap cleanup EXIT
"$NGINX" -p "$OUT" -c "$OUT/backend.conf"
FLAGS_A=${FLAGS_A:-$ACTIVATOR_FLAGS} FLAGS_B=${FLAGS_B:-$ACTIVATOR_FLAGS}
start_activator "$JAR_A" 18193 A "$FLAGS_A" "${ENV_A:-}"
PIDS+=("$STARTED_PID")
start_activator "$JAR_B" 18195 B "$FLAGS_B" "${ENV_B:-}"
PIDS+=("$STARTED_PID")
URL_A="http://127.0.0.1:18193/bench/hello/" URL_B="http://127.0.0.1:18195/bench/hello/"
wait_for "$URL_A"
wait_for "$URL_B"
warm_up "$URL_A"
warm_up "$URL_B"

rm -f "$OUT/turns.md"
echo "A = $JAR_A ($FLAGS_A ${ENV_A:-}), B = $JAR_B ($FLAGS_B ${ENV_B:-}); $DURATION per turn after $WARMUP of warm-up each"
echo
echo "| turn | build | requests/s | p50 ms | p99 ms | user µs/req | kernel µs/req | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for turn in $(seq 1 "$ROUNDS"); do
  for build in A B; do
    if [ "$build" = A ]; then url=$URL_A pid=${PIDS[0]}; else url=$URL_B pid=${PIDS[1]}; fi
    read -r _ rps p50 p99 user system errors <<< "$(row "$build-$turn" "$url" "$pid")"
    echo "| $turn | $build | $rps | $p50 | $p99 | $user | $system | $errors |" | tee -a "$OUT/turns.md"
  done
done
for build in A B; do
  echo "$build: median $(grep "| $build |" "$OUT/turns.md" | awk -F'|' '{ print $4 }' | median) requests/s"
done
echo "peak resident memory: A $(peak_rss_mib "${PIDS[0]}") MiB, B $(peak_rss_mib "${PIDS[1]}") MiB"
