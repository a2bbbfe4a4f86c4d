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
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-64}
BACKEND=18181 PROXY=18182 ACTIVATOR=18183 ADMIN=18184
mkdir -p "$OUT/logs"

install() { # wrk and nginx come from Debian's packages
  local sudo=""; [ "$(id -u)" != 0 ] && sudo=sudo
  $sudo apt-get install -y -q "$@" || { $sudo apt-get update -q && $sudo apt-get install -y -q "$@"; }
}
command -v wrk >/dev/null || install wrk
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || install nginx-light
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cat > "$OUT/backend.conf" <<CONF
worker_processes 1;
pid $OUT/backend.pid;
error_log $OUT/logs/backend-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server { listen 127.0.0.1:$BACKEND; location / { return 200 "Hello, world!\n"; } }
}
CONF
cat > "$OUT/proxy.conf" <<CONF
worker_processes auto;
pid $OUT/proxy.pid;
error_log $OUT/logs/proxy-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream backend { server 127.0.0.1:$BACKEND; keepalive 128; }
  server {
    listen 127.0.0.1:$PROXY;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF

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
  for _ in $(seq 1 300); do curl -sf -o /dev/null "$url" && break; sleep 0.1; done
  curl -sf -o /dev/null "$url" || { echo "not answering: $url"; exit 1; }
done

to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.2f", v }'; }
# CPU time (user, system) in clock ticks of every thread of the given processes.
cpu_ticks() {
  local user=0 system=0 stat fields pid task
  for pid in "$@"; do
    for task in /proc/"$pid"/task/*; do
      stat=$(cat "$task/stat" 2>/dev/null) || continue
      read -r -a fields <<< "${stat##*) }"
      user=$((user + fields[11])); system=$((system + fields[12]))
    done
  done
  echo "$user $system"
}
per_request_us() { awk -v t="$1" -v r="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t * 1000000 / hz / r }'; }
measure() { # name url pid... (the processes whose CPU time per request the row reports)
  local name=$1 url=$2; shift 2
  wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$url" > /dev/null
  local u0 s0 u1 s1 rps p50 p99 requests errors
  read -r u0 s0 <<< "$(cpu_ticks "$@")"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url" > "$OUT/$name.txt"
  read -r u1 s1 <<< "$(cpu_ticks "$@")"
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/$name.txt" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$name.txt" | to_ms)
  requests=$(awk '/requests in/ {print $1}' "$OUT/$name.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$OUT/$name.txt" | tr '\n' ' ')
  echo "$name $rps $p50 $p99 $(per_request_us $((u1 - u0)) "$requests") $(per_request_us $((s1 - s0)) "$requests") ${errors:-none}"
}
nginx_pids() { local master; master=$(cat "$OUT/$1.pid"); echo "$master" $(pgrep -P "$master"); }
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
