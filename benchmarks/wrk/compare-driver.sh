#!/bin/sh
# fleet-bench's open loop against wrk at the same fixed rates, connections and payloads; prints one row per rate.
#   benchmarks/wrk/compare-driver.sh URL [KEY_FILE]
# Environment: RATES (default "1000 2000 5000"), CONN (16), DURATION (15, seconds scored), WARM (20, seconds of
# fleet-bench warm-up; wrk gets a 5 s paced run first), BATCH (0 = single events to /v1/orders; N = arrays of N to
# /v1/events, fleet-bench's http-batch driver), JAR (benchmarks/target/fleet-bench.jar), JAVA_OPTS, FB_ARGS (more
# fleet-bench ingest options, e.g. "--metrics URL/actuator/prometheus" for the gateway's own view), WRK_FIRST (1: wrk
# runs before fleet-bench at each rate, so that a second pass can alternate the order of the tools), WRK_METRICS (the
# gateway's /actuator/prometheus URL: its own request p50 over each wrk run, from the histogram's buckets before and
# after, printed under the row next to the one fleet-bench's --metrics gives for its run; for hey's run too), SCHEDULE
# (fleet-bench's --schedule: even, the default, or ms-ticks, wrk's millisecond clumps, for validation), PACE (legacy:
# orders.lua's schedule of the first comparisons), HEY (1: also Debian's hey at the same rate: CONN workers of
# round(R / CONN) requests/s each, one fixed body per run -- hey's workers tick together, so it sends CONN requests at
# once every CONN / R s; single events only; printed as a second line under the row).
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
SCHEDULE=${SCHEDULE:-even}
export KEY BATCH PACE

echo "target $URL, $CONN connections, batch $BATCH, ${DURATION}s scored per tool and rate, fleet-bench schedule" \
  "$SCHEDULE, wrk pacing ${PACE:-ticks}; $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s | %-30s | %-55s | %s\n' "rate" "wrk: req/s, p50, CPU/req" \
  "fleet-bench: req/s, p50 from intended, service p50, CPU/req" "Δ rate, Δ p50 (service; from intended)"
run_fb() {
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$JAR" ingest --gateway "$URL" $KEYARG $DRIVER --mode open --rate "$1" \
    --concurrency "$CONN" --warm-up "${WARM}s" --duration "${DURATION}s" --schedule "$SCHEDULE" ${FB_ARGS:-} \
    > "$OUT/fb-$1.txt" 2>&1
}
buckets() {
  curl -s "$WRK_METRICS" | sed -n 's/^streamfleet_gateway_request_latency_seconds_bucket{.*channel="http",status="202".*le="\([^"]*\)"} \([0-9.eE+]*\)$/\1 \2/p'
}
gateway_p50() {
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
    }' "$1" "$2"
}
run_wrk() {
  RATE=$1 wrk -t1 -c"$CONN" -d5s -s "$DIR/orders.lua" "$URL" > /dev/null 2>&1
  if [ -n "${WRK_METRICS:-}" ]; then buckets > "$OUT/gw-before-$1.txt"; fi
  RATE=$1 /usr/bin/time -f "cpu %U %S" wrk -t1 -c"$CONN" -d"${DURATION}s" -s "$DIR/orders.lua" "$URL" \
    > "$OUT/wrk-$1.txt" 2>&1
  if [ -n "${WRK_METRICS:-}" ]; then
    buckets > "$OUT/gw-after-$1.txt"
    gateway_p50 "$OUT/gw-before-$1.txt" "$OUT/gw-after-$1.txt" >> "$OUT/wrk-$1.txt"
  fi
}
run_hey() {
  Q=$(( ($1 + CONN / 2) / CONN ))
  printf '{"eventId":"hey-%s-%s","accountId":"acc-7","symbol":"SYM7","eventType":"CREATED","orderId":"o-7","side":"SELL","price":107.07,"qty":8,"eventTimeMs":%s}' \
    "$(date +%s)" "$1" "$(date +%s000)" > "$OUT/hey-body-$1.json"
  R1=$1
  set -- -c "$CONN" -q "$Q" -m POST -D "$OUT/hey-body-$R1.json" -H "Authorization: Bearer $KEY" -T application/json
  hey -z 5s "$@" "$URL/v1/orders" > /dev/null 2>&1
  if [ -n "${WRK_METRICS:-}" ]; then buckets > "$OUT/gw-hey-before-$R1.txt"; fi
  /usr/bin/time -f "cpu %U %S" hey -z "${DURATION}s" "$@" "$URL/v1/orders" > "$OUT/hey-$R1.txt" 2>&1
  if [ -n "${WRK_METRICS:-}" ]; then
    buckets > "$OUT/gw-hey-after-$R1.txt"
    gateway_p50 "$OUT/gw-hey-before-$R1.txt" "$OUT/gw-hey-after-$R1.txt" >> "$OUT/hey-$R1.txt"
  fi
}
for R in $RATES; do
  if [ "${WRK_FIRST:-0}" = 1 ]; then run_wrk "$R"; run_fb "$R"; else run_fb "$R"; run_wrk "$R"; fi
  if [ "${HEY:-0}" = 1 ]; then run_hey "$R"; fi
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
  if [ "${HEY:-0}" = 1 ]; then
    awk '/Requests\/sec:/ { r = $2 } /50% in/ { p = $3 * 1000 } /^cpu / { c = ($2 + $3) * 1e6 }
      /^ *\[202\]/ { n = $2 } /^gateway p50/ { g = $3 " ms" }
      END { printf "       hey %d x %d/s: %7.0f req/s, p50 %.3f ms, %4.0f µs CPU/req, %d answered 202; gateway handler p50 %s\n",
        W, Q, r, p, c / n, n, g }' W="$CONN" Q=$(( (R + CONN / 2) / CONN )) "$OUT/hey-$R.txt"
  fi
done
echo "raw outputs: $OUT"
