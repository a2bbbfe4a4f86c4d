# Shared by run.sh (the three-way table) and ab.sh (two activator builds side by side): wrk and nginx
# installed from Debian when missing, the nginx configurations, and measuring one wrk run with the CPU time
# the serving processes spent on it. Source it after setting OUT, BACKEND and PROXY.
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-64}
# The activator's JVM flags: those its image runs with (operator/activator/jvm-flags), unless overridden.
ACTIVATOR_FLAGS=${ACTIVATOR_FLAGS:-$(grep -v '^#' "$ROOT/operator/activator/jvm-flags" | tr '\n' ' ')}
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

wait_for() { # url: answered within 30 s, or the script stops
  for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return; sleep 0.1; done
  echo "not answering: $1"; exit 1
}
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
warm_up() { wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$1" > /dev/null; }
# One row: "name req/s p50-ms p99-ms user-µs/req kernel-µs/req errors", the CPU time being that of the
# processes given (the ones serving the row).
row() { # name url pid...
  local name=$1 url=$2; shift 2
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
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# One activator in the background on <port> (admin <port>+1), routing bench/hello to the backend, its output
# in logs/<name>.log and its process id in STARTED_PID; KINETIC_ACTIVATOR_* set on the call apply too.
start_activator() { # jar port name flags
  # shellcheck disable=SC2086 # the flags are words
  KINETIC_ACTIVATOR_PORT=$2 KINETIC_ACTIVATOR_ADMIN_PORT=$(($2 + 1)) \
  KINETIC_ACTIVATOR_ROUTES="bench/hello=127.0.0.1:$BACKEND;timeout=30" \
    "$JAVA" $4 -jar "$1" > "$OUT/logs/$3.log" 2>&1 &
  STARTED_PID=$!
}
peak_rss_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
nginx_pids() { local master; master=$(cat "$OUT/$1.pid"); echo "$master" $(pgrep -P "$master"); }
