#!/bin/sh
# fleet-bench's ws driver against ws-load.mjs (Node.js + the `ws` library) at the same fixed rates (or the same closed
# loop), sockets and payloads; prints one row per rate. wrk has no WebSocket, so this is the independent check of the
# ws driver.
#   benchmarks/ws/compare-ws.sh URL [KEY_FILE]
# Environment: RATES (default "1000 2000 5000", events/s), CONN (4 sockets), BATCH (1 event per message; N: N events
# per message as NDJSON lines, fleet-bench --batch-size N, the rate then offered as RATE / N messages/s), INFLIGHT
# (unset: open loop at RATES; N: closed loop with N messages in flight per socket, RATES ignored, one row), PACER
# (fine: ws-load paces each message on its own wake-up; timer: its 1 ms timer, bursts of what fell due), DURATION
# (15, seconds scored), WARM (20, seconds of fleet-bench warm-up; ws-load warms up for 5 s), JAR
# (benchmarks/target/fleet-bench.jar), JAVA_OPTS.
# Run it under the bench lock from the repository root, after mvn -B -o -DskipTests package and, once,
# (cd benchmarks/ws && npm install):
#   flock /tmp/streamfleet-bench.lock benchmarks/ws/compare-ws.sh http://127.0.0.1:PORT KEY_FILE
# Both tools are open loops paced to a schedule (or both closed loops). Latency compared, per message: "service" (the
# message handed to the socket -> the ack of its last event), which both report; fleet-bench's "from intended" adds its
# own lag behind the schedule. CPU per event is each tool's own over the scored part.
set -eu
URL=$1
KEY_FILE=${2:-}
RATES=${RATES:-"1000 2000 5000"}
CONN=${CONN:-4}
DURATION=${DURATION:-15}
WARM=${WARM:-20}
BATCH=${BATCH:-1}
INFLIGHT=${INFLIGHT:-}
PACER=${PACER:-fine}
JAR=${JAR:-benchmarks/target/fleet-bench.jar}
DIR=$(cd "$(dirname "$0")" && pwd)
[ -d "$DIR/node_modules/ws" ] || { echo "run (cd benchmarks/ws && npm install) first" >&2; exit 2; }
OUT=$(mktemp -d /tmp/compare-ws.XXXXXX)
if [ -n "$KEY_FILE" ]; then KEY=$(cat "$KEY_FILE"); KEYARG="--api-key-file $KEY_FILE"; else KEY=x; KEYARG="--api-key x"; fi
export KEY

if [ -n "$INFLIGHT" ]; then RATES=closed; fi
echo "target $URL, $CONN sockets, $BATCH event(s) per message, ${INFLIGHT:+closed loop $INFLIGHT messages in flight per socket, }ws-load pacer $PACER, ${DURATION}s scored per tool and rate; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s | %-36s | %-52s | %s\n' "rate" "ws-load: events/s, service p50, CPU/ev" \
  "fleet-bench: events/s, service p50, p50 intended, CPU/ev" "Δ rate, Δ service p50"
for R in $RATES; do
  if [ "$R" = closed ]; then
    FB_LOAD="--mode closed --concurrency $((INFLIGHT * CONN))"
    WSL_LOAD="--in-flight $INFLIGHT"
  else
    FB_LOAD="--mode open --rate $((R / BATCH))"
    WSL_LOAD="--rate $R --pacer $PACER"
  fi
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$JAR" ingest --gateway "$URL" $KEYARG --driver ws --ws-connections "$CONN" \
    --batch-size "$BATCH" $FB_LOAD --warm-up "${WARM}s" --duration "${DURATION}s" > "$OUT/fb-$R.txt" 2>&1
  # shellcheck disable=SC2086
  node "$DIR/ws-load.mjs" "$URL" $WSL_LOAD --batch-size "$BATCH" --connections "$CONN" --warm-up 5 \
    --duration "$DURATION" > "$OUT/wsl-$R.txt" 2>&1
  awk -v R="$R" -v B="$BATCH" -v LOAD="$(cut -d' ' -f1 /proc/loadavg)" '
    FILENAME ~ /wsl-/ && /^Events\/sec/ { wr = $2 }
    FILENAME ~ /wsl-/ && /^service p50/ { wp = $3 }
    FILENAME ~ /wsl-/ && /^cpu / { wc = $4 }
    FILENAME ~ /fb-/ && /^  events / { gsub(/[(,]/, "", $7); fr = $7 }
    FILENAME ~ /fb-/ && /^  latency / { fp = $3 }
    FILENAME ~ /fb-/ && /service time/ { for (i = 1; i <= NF; i++) if ($i == "answered)") fs = $(i + 2) }
    FILENAME ~ /fb-/ && /client CPU/ { fc = $3 }
    END {
      if (fs == "") fs = fp  # closed loop: latency from the actual send, no schedule
      fc = fc / B            # fleet-bench prints CPU per request (message)
      printf "%-6s | %7.0f  %8.3f ms  %5.1f µs          | %7.0f  %8.3f ms  %8.3f ms  %5.1f µs            | %+5.1f %%, %+5.1f %%  load %s\n",
        R, wr, wp, wc, fr, fs, fp, fc, 100 * (fr - wr) / wr, 100 * (fs - wp) / wp, LOAD
    }' "$OUT/wsl-$R.txt" "$OUT/fb-$R.txt"
done
echo "raw outputs: $OUT"
