#!/usr/bin/env bash
# Serving benchmark for ICS feeds: the hub's GET /feeds/{secret}.ics for a 500-event provider feed
# versus the very same bytes served as a static file by nginx on this machine, in the same run,
# for full responses (200) and for revalidations (304 on If-None-Match). Loopback only, bounded.
#
#   sudo apt-get install -y nginx-light wrk        # Debian packages; nothing else is downloaded
#   mvn -q -DskipTests package && bench/feeds-serving.sh [config/target/sessionbridge.jar] [rounds]
#
# Prints a Markdown table of medians over the rounds (each round runs the four cases back to back,
# so hub and nginx see the same machine load) and the hub/nginx ratios.
set -euo pipefail

jar=${1:-config/target/sessionbridge.jar}
rounds=${2:-3}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
events=${EVENTS:-500}
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install -y nginx-light" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[[ -f $jar ]] || { echo "no hub jar at $jar: run mvn -q -DskipTests package first" >&2; exit 2; }

work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hub_port=$(free_port)
nginx_port=$(free_port)
op_key="bench-operator-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
hub_pid=""
cleanup() {
  [[ -n $hub_pid ]] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null || true
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "starting the hub on 127.0.0.1:$hub_port (data in $work/data)" >&2
java -jar "$jar" --server.port="$hub_port" --server.address=127.0.0.1 \
  --sessionbridge.data-dir="$work/data" --sessionbridge.security.operator-key="$op_key" \
  --sessionbridge.public-base-url="http://127.0.0.1:$hub_port" --logging.level.root=WARN \
  > "$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$hub_port/actuator/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$hub_port/actuator/health" >/dev/null || { cat "$work/hub.log" >&2; exit 1; }

api() { # method path key [body]
  curl -fsS -X "$1" "http://127.0.0.1:$hub_port$2" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' ${4:+-d "$4"}
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

key=$(api POST /api/v1/practices "$op_key" '{"name":"Bench Practice","timeZone":"America/New_York"}' | field apiKey)
api PATCH /api/v1/practice "$key" '{"location":"1 Bench Street, Portland, ME"}' >/dev/null
provider=$(api POST /api/v1/providers "$key" '{"name":"Dr. Bench","email":"bench@example.org","timeZone":"America/New_York"}' | field id)
api POST "/api/v1/providers/$provider/video-services" "$key" \
  '{"platform":"DOXY","url":"https://doxy.me/drbench","joinInstructions":"Check in with your first name."}' >/dev/null
clients=()
for i in $(seq 1 20); do
  clients+=("$(api POST /api/v1/clients "$key" "{\"name\":\"Client Number$i\",\"email\":\"c$i@example.org\"}" | field id)")
done
echo "booking $events sessions" >&2
for i in $(seq 0 $((events - 1))); do
  day=$(( i / 4 + 1 )); hour=$(( 9 + (i % 4) * 2 ))
  start=$(date -u -d "today + $day days $hour:00" +%Y-%m-%dT%H:%M:00Z)
  end=$(date -u -d "today + $day days $hour:50" +%Y-%m-%dT%H:%M:00Z)
  modality=IN_PERSON; (( i % 5 < 3 )) && modality=TELEHEALTH
  id=$(api POST /api/v1/appointments "$key" "{\"providerId\":\"$provider\",\"clientIds\":[\"${clients[$((i % 20))]}\"],\"start\":\"$start\",\"end\":\"$end\",\"timeZone\":\"America/New_York\",\"modality\":\"$modality\"}" | field id)
  (( i % 25 == 7 )) && api POST "/api/v1/appointments/$id/cancel" "$key" >/dev/null
done
feed=$(api POST "/api/v1/providers/$provider/feeds" "$key" '{"label":"bench"}' | field url)
# Let the outbox settle so the feed is not re-rendered during the measurement.
for _ in $(seq 1 60); do
  pending=$(api GET /api/v1/outbox "$op_key" | field pending)
  [[ $pending == 0 ]] && break
  sleep 1
done

mkdir -p "$work/www"
chmod 755 "$work" "$work/www"   # nginx workers run as an unprivileged user
curl -fsS -D "$work/hub.headers" "$feed" -o "$work/www/feed.ics"
chmod 644 "$work/www/feed.ics"
hub_etag=$(grep -i '^etag:' "$work/hub.headers" | cut -d' ' -f2- | tr -d '\r')
bytes=$(stat -c %s "$work/www/feed.ics")
vevents=$(grep -c '^BEGIN:VEVENT' "$work/www/feed.ics")

cat > "$work/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  etag on;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location = /feed.ics {
      default_type "text/calendar; charset=utf-8";
      add_header Cache-Control "private, max-age=300";
    }
  }
}
EOF
nginx -c "$work/nginx.conf"
static="http://127.0.0.1:$nginx_port/feed.ics"
nginx_etag=$(curl -fsSI "$static" | grep -i '^etag:' | cut -d' ' -f2- | tr -d '\r')

rate() { # url [header]
  local out
  if [[ $# -gt 1 ]]; then out=$(wrk -t2 -c"$connections" -d"$duration" -H "$2" "$1"); else out=$(wrk -t2 -c"$connections" -d"$duration" "$1"); fi
  if grep -q 'Non-2xx or 3xx' <<<"$out"; then echo "unexpected status in: $1" >&2; echo "$out" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}
echo "warming up (JIT) ..." >&2
rate "$feed" >/dev/null; rate "$feed" "If-None-Match: $hub_etag" >/dev/null; rate "$static" >/dev/null
# The 304s must really be 304s.
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $hub_etag" "$feed") == 304 ]]
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$static") == 304 ]]

declare -a hub_full nginx_full hub_304 nginx_304
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds" >&2
  hub_full+=("$(rate "$feed")")
  nginx_full+=("$(rate "$static")")
  hub_304+=("$(rate "$feed" "If-None-Match: $hub_etag")")
  nginx_304+=("$(rate "$static" "If-None-Match: $nginx_etag")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
hf=$(median "${hub_full[@]}"); nf=$(median "${nginx_full[@]}")
h3=$(median "${hub_304[@]}"); n3=$(median "${nginx_304[@]}")
ratio() { python3 -c "print(f'{$1/$2*100:.0f}%')"; }
cat <<EOF

Feed: $vevents events, $bytes bytes. wrk -t2 -c$connections -d$duration, $rounds rounds, medians (req/s).
Each round: hub full, nginx full, hub 304, nginx 304, back to back on the same 2 cores.

| case | hub req/s | nginx req/s (same bytes, static) | hub / nginx |
|---|---|---|---|
| full 200 response | $hf | $nf | $(ratio "$hf" "$nf") |
| 304 on If-None-Match | $h3 | $n3 | $(ratio "$h3" "$n3") |

Per round (hub full / nginx full / hub 304 / nginx 304):
EOF
for i in "${!hub_full[@]}"; do
  echo "- ${hub_full[$i]} / ${nginx_full[$i]} / ${hub_304[$i]} / ${nginx_304[$i]}"
done
