# What every wrk-driven benchmark needs: wrk installed from Debian when missing, waiting for a URL, and one
# wrk run measured with the CPU time the serving processes spent on it (per request, user and kernel).
# Source it after setting OUT, CONNECTIONS, DURATION and WARMUP; WRK_SCRIPT set on a call to row() sends wrk's
# requests from that Lua script (a POST with a body) instead of GETs.
install() { # packages from Debian
  local sudo=""; [ "$(id -u)" != 0 ] && sudo=sudo
  $sudo apt-get install -y -q "$@" || { $sudo apt-get update -q && $sudo apt-get install -y -q "$@"; }
}
command -v wrk >/dev/null || install wrk

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
warm_up() { wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" ${WRK_SCRIPT:+-s "$WRK_SCRIPT"} "$1" > /dev/null; }
# One row: "name req/s p50-ms p99-ms user-µs/req kernel-µs/req errors", the CPU time being that of the
# processes given (the ones serving the row).
row() { # name url pid...
  local name=$1 url=$2; shift 2
  local u0 s0 u1 s1 rps p50 p99 requests errors
  read -r u0 s0 <<< "$(cpu_ticks "$@")"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency ${WRK_SCRIPT:+-s "$WRK_SCRIPT"} "$url" > "$OUT/$name.txt"
  read -r u1 s1 <<< "$(cpu_ticks "$@")"
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/$name.txt" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$name.txt" | to_ms)
  requests=$(awk '/requests in/ {print $1}' "$OUT/$name.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$OUT/$name.txt" | tr '\n' ' ')
  echo "$name $rps $p50 $p99 $(per_request_us $((u1 - u0)) "$requests") $(per_request_us $((s1 - s0)) "$requests") ${errors:-none}"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
