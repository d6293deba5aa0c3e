#!/bin/sh
# fleet-bench's open loop against wrk at the same fixed rates, connections and payloads; prints one row per rate.
#   benchmarks/wrk/compare-driver.sh URL [KEY_FILE]
# Environment: RATES (default "1000 2000 5000"), CONN (16), DURATION (15, seconds scored), WARM (20, seconds of
# fleet-bench warm-up; wrk gets a 5 s paced run first), BATCH (0 = single events to /v1/orders; N = arrays of N to
# /v1/events, fleet-bench's http-batch driver), JAR (benchmarks/target/fleet-bench.jar), JAVA_OPTS, FB_ARGS (more
# fleet-bench ingest options, e.g. "--metrics URL/actuator/prometheus" for the gateway's own view), WRK_FIRST (1: wrk
# runs before fleet-bench at each rate, so that a second pass can alternate the order of the tools), WRK_METRICS (the
# gateway's /actuator/prometheus URL: its own request p50 over each wrk run, from the histogram's buckets before and
# after, printed under the row next to the one fleet-bench's --metrics gives for its run).
# Run it under the bench lock from the repository root, after mvn -B -o -DskipTests package:
#   flock /tmp/streamfleet-bench.lock benchmarks/wrk/compare-driver.sh http://127.0.0.1:PORT
# wrk's rate comes from orders.lua's RATE pacing (a schedule, latency from the actual send); fleet-bench's from
# --mode open --rate (latency from the intended send time, split into driver lag and service time). While the server
# keeps up the two latencies describe the same requests; CPU per request is each tool's own (wrk: user + sys over its
# run; fleet-bench: its process over the scored phase, as it reports).
set -eu
URL=$1
KEY_FILE=${2:-}
RATES=${RATES:-"1000 2000 5000"}
CONN=${CONN:-16}
DURATION=${DURATION:-15}
WARM=${WARM:-20}
BATCH=${BATCH:-0}
JAR=${JAR:-benchmarks/target/fleet-bench.jar}
DIR=$(cd "$(dirname "$0")" && pwd)
OUT=$(mktemp -d /tmp/compare-driver.XXXXXX)
if [ -n "$KEY_FILE" ]; then KEY=$(cat "$KEY_FILE"); KEYARG="--api-key-file $KEY_FILE"; else KEY=x; KEYARG="--api-key x"; fi
if [ "$BATCH" -gt 0 ]; then DRIVER="--driver http-batch --batch-size $BATCH"; else DRIVER="--driver http-single"; fi
export KEY BATCH

echo "target $URL, $CONN connections, batch $BATCH, ${DURATION}s scored per tool and rate; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s | %-30s | %-55s | %s\n' "rate" "wrk: req/s, p50, CPU/req" \
  "fleet-bench: req/s, p50 from intended, service p50, CPU/req" "Δ rate, Δ p50 (service; from intended)"
run_fb() {
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$JAR" ingest --gateway "$URL" $KEYARG $DRIVER --mode open --rate "$1" \
    --concurrency "$CONN" --warm-up "${WARM}s" --duration "${DURATION}s" ${FB_ARGS:-} > "$OUT/fb-$1.txt" 2>&1
}
buckets() {
  curl -s "$WRK_METRICS" | sed -n 's/^streamfleet_gateway_request_latency_seconds_bucket{.*channel="http",status="202".*le="\([^"]*\)"} \([0-9.eE+]*\)$/\1 \2/p'
}
run_wrk() {
  RATE=$1 wrk -t1 -c"$CONN" -d5s -s "$DIR/orders.lua" "$URL" > /dev/null 2>&1
  if [ -n "${WRK_METRICS:-}" ]; then buckets > "$OUT/gw-before-$1.txt"; fi
  RATE=$1 /usr/bin/time -f "cpu %U %S" wrk -t1 -c"$CONN" -d"${DURATION}s" -s "$DIR/orders.lua" "$URL" \
    > "$OUT/wrk-$1.txt" 2>&1
  if [ -n "${WRK_METRICS:-}" ]; then
    buckets > "$OUT/gw-after-$1.txt"
    # the p50 of the difference of the cumulative buckets, linear within the bucket that holds it
    awk 'NR == FNR { before[$1] = $2; next }
      { le[n] = $1; cum[n] = $2 - before[$1]; n++ }
      END {
        total = cum[n - 1]; half = total / 2; lo = 0; below = 0
        for (i = 0; i < n; i++) {
          if (cum[i] >= half) { hi = le[i] == "+Inf" ? lo : le[i]; f = cum[i] > below ? (half - below) / (cum[i] - below) : 0
            printf "gateway p50 %.3f ms over %d requests\n", 1000 * (lo + f * (hi - lo)), total; exit }
          lo = le[i]; below = cum[i]
        }
      }' "$OUT/gw-before-$1.txt" "$OUT/gw-after-$1.txt" >> "$OUT/wrk-$1.txt"
  fi
}
for R in $RATES; do
  if [ "${WRK_FIRST:-0}" = 1 ]; then run_wrk "$R"; run_fb "$R"; else run_fb "$R"; run_wrk "$R"; fi
  awk -v R="$R" -v LOAD="$(cut -d' ' -f1 /proc/loadavg)" '
    FILENAME ~ /wrk-/ && /requests in/ { wn = $1 }
    FILENAME ~ /wrk-/ && /^Requests\/sec:/ { wr = $2 }
    FILENAME ~ /wrk-/ && /^p50 / { wp = $2 }
    FILENAME ~ /wrk-/ && /^cpu / { wc = ($2 + $3) * 1e6 }
    FILENAME ~ /fb-/ && /^  requests / { gsub(/[(,]/, "", $3); fr = $3 }
    FILENAME ~ /fb-/ && /^  latency / { fp = $3 }
    FILENAME ~ /fb-/ && /service time/ { for (i = 1; i <= NF; i++) if ($i == "answered)") fs = $(i + 2) }
    FILENAME ~ /fb-/ && /client CPU/ { fc = $3 }
    END {
      printf "%-6s | %7.0f  %7.3f ms  %4.0f µs   | %7.0f  %7.3f ms  %7.3f ms  %4.0f µs                | %+5.1f %%, %+5.1f %% (%+5.1f %%)  load %s\n",
        R, wr, wp, wc / wn, fr, fp, fs, fc, 100 * (fr - wr) / wr, 100 * (fs - wp) / wp, 100 * (fp - wp) / wp, LOAD
    }' "$OUT/wrk-$R.txt" "$OUT/fb-$R.txt"
  if [ -n "${WRK_METRICS:-}" ]; then
    printf '       gateway handler p50: %s during wrk; fleet-bench run: %s\n' \
      "$(sed -n 's/^gateway p50 \([0-9.]*\) ms.*/\1 ms/p' "$OUT/wrk-$R.txt")" \
      "$(sed -n 's/.*request received.*2xx): [0-9,]*, p50 \([0-9.]*\) ms.*/\1 ms/p' "$OUT/fb-$R.txt")"
  fi
done
echo "raw outputs: $OUT"
