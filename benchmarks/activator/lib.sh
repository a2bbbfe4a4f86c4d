# Shared by run.sh (the three-way table) and ab.sh (two activator builds side by side): nginx installed
# from Debian when missing, the nginx configurations, and starting an activator; the measuring itself is
# benchmarks/lib/measure.sh's. Source it after setting ROOT, OUT, JAVA, BACKEND and PROXY.
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-64}
# The activator's JVM flags: those its image runs with (operator/activator/jvm-flags), unless overridden.
ACTIVATOR_FLAGS=${ACTIVATOR_FLAGS:-$(grep -v '^#' "$ROOT/operator/activator/jvm-flags" | tr '\n' ' ')}
mkdir -p "$OUT/logs"

# shellcheck source=benchmarks/lib/measure.sh
source "$ROOT/benchmarks/lib/measure.sh"
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

# One activator in the background on <port> (admin <port>+1), routing bench/hello to the backend, its output
# in logs/<name>.log and its process id in STARTED_PID; KINETIC_ACTIVATOR_* set on the call apply too, and so
# do the NAME=value words of <environment>.
start_activator() { # jar port name flags [environment]
  # shellcheck disable=SC2086 # the flags and the environment are words
  KINETIC_ACTIVATOR_PORT=$2 KINETIC_ACTIVATOR_ADMIN_PORT=$(($2 + 1)) \
  KINETIC_ACTIVATOR_ROUTES="bench/hello=127.0.0.1:$BACKEND;timeout=30" \
    env ${5:-} "$JAVA" $4 -jar "$1" > "$OUT/logs/$3.log" 2>&1 &
  STARTED_PID=$!
}
peak_rss_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
nginx_pids() { local master; master=$(cat "$OUT/$1.pid"); echo "$master" $(pgrep -P "$master"); }
