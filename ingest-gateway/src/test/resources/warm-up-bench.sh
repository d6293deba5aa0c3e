#!/bin/bash
# The self-warm-up, measured from readiness (docs/ingest-gateway.md "Self-warm-up ending on evidence, sooner").
#
#   ingest-gateway/src/test/resources/warm-up-bench.sh on|off [WINDOWS] [OUT_DIR]
#
# Run from the repository root after `mvn -B -DskipTests package -pl ingest-gateway,fleet-launcher,benchmarks -am`,
# under the bench lock: flock /tmp/streamfleet-bench.lock ingest-gateway/src/test/resources/warm-up-bench.sh on
# Starts the gateway and a broker from the packaged jars (OwnGatewayFleet, no start-up archive) with the self-warm-up
# on or off (further STREAMFLEET_GATEWAY_* settings in the environment reach the gateway), polls readiness every
# 20 ms, then runs WINDOWS (default 14) back-to-back `wrk -t1 -c16 -d5s` windows of single orders and prints, per
# window: the rate, the gateway's CPU (/proc/PID/stat fields 14+15) and the JIT's compile time (jstat -compiler,
# all compiler threads together) in the window, as ms and as % of the window's wall time. Then the warm-up's own log
# line (how long it took, what ended it), every fifth of its DEBUG windows, and the figure the target is about: the
# 4th window (15-20 s after ready) against the mean of the last four windows. REPO=DIR runs the jars of another checkout (built the same way), e.g. the commit before a
# change, for A/B pairs. GATEWAY_JVM_OPTS="-XX:CICompilerCount=3 ..." adds JVM options to the gateway only (through the
# launcher's -Dstreamfleet.fleet.extra-jvm-options.ingest-gateway; JAVA_TOOL_OPTIONS would reach the broker too); the
# gateway's compiler-thread count and its CPU and JIT time up to readiness are printed. Stops everything it started
# (the gateway, its broker and their temporary folder).
set -u
V=${1:?on or off}
WINDOWS=${2:-14}
OUT=${3:-/tmp/warm-up-bench}
mkdir -p "$OUT"
L=$OUT/fleet-$V-$(date -u +%H%M%S).log; : > "$L"
echo "variant warm-up=$V gateway-jvm-opts='${GATEWAY_JVM_OPTS:-}' start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) commit $(git -C "${REPO:-.}" rev-parse --short HEAD 2>/dev/null || echo "of ${REPO:-.}")"
STREAMFLEET_GATEWAY_WARM_UP_ENABLED=$([ "$V" = on ] && echo true || echo false) \
  LOGGING_LEVEL_IO_STREAMFLEET_GATEWAY_WARMUP=DEBUG \
  java -cp "benchmarks/target/test-classes:fleet-launcher/target/fleet-launcher.jar:fleet-launcher/target/lib/*" \
  -Dbench.fleet.repo="${REPO:-.}" -Dbench.fleet.archive=false \
  "-Dstreamfleet.fleet.extra-jvm-options.ingest-gateway=${GATEWAY_JVM_OPTS:-}" io.streamfleet.bench.cli.OwnGatewayFleet > "$L" 2>&1 &
FP=$!
FD=""
trap 'kill $FP 2>/dev/null; wait $FP 2>/dev/null; [ -n "$FD" ] && rm -rf "$FD"' EXIT
until grep -q "^starting" "$L"; do sleep 0.2; kill -0 $FP 2>/dev/null || { cat "$L"; exit 1; }; done
URL=$(awk '/^starting/{print $2}' "$L")
T0=$(date +%s.%N)
until curl -sf -o /dev/null "$URL/actuator/health/readiness"; do sleep 0.02; done
echo "ready after $(echo "$(date +%s.%N)-$T0" | bc | cut -c1-5) s (from the launcher's start line), $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
until grep -q "^pids" "$L"; do sleep 0.1; done
KF=$(awk '/^key-file/{print $2}' "$L"); FD=$(dirname "$KF")
GP=$(cat "$(awk '/^pids/{print $2}' "$L")/ingest-gateway.pid" 2>/dev/null)
[ -n "$GP" ] || GP=$(pgrep -f "fleet.part=ingest-gateway" | head -1)
jit() { jstat -compiler "$GP" | awk 'NR==2{print int($4*1000)}'; }
echo "gateway at ready: CPU $(awk '{print ($14+$15)*10}' /proc/$GP/stat) ms, JIT $(jit) ms," \
  "$(jcmd "$GP" VM.flags | tr ' ' '\n' | grep CICompilerCount)"
RATES=()
for w in $(seq "$WINDOWS"); do
  C0=$(awk '{print $14+$15}' /proc/$GP/stat); J0=$(jit); S0=$(date +%s%N)
  R=$(KEY=$(cat "$KF") wrk -t1 -c16 -d5s -s benchmarks/wrk/orders.lua "$URL" | awk '/Requests\/sec/{print $2}')
  C1=$(awk '{print $14+$15}' /proc/$GP/stat); J1=$(jit); S1=$(date +%s%N)
  MS=$(( (S1 - S0) / 1000000 ))
  RATES+=("$R")
  echo "window $w: $R req/s, gateway CPU $(( (C1-C0)*10 )) ms, JIT $((J1-J0)) ms ($(( (J1-J0)*100/MS )) % of ${MS} ms)"
done
GL=$(dirname "$KF")/logs/ingest-gateway.log; cp "$GL" "$OUT/gateway-$V-$(date -u +%H%M%S).log"
grep "self-warm-up" "$GL" | grep -v DEBUG | cut -c1-400
echo "warm-up windows (DEBUG): $(grep -c "self-warm-up at" "$GL")"
grep "self-warm-up at" "$GL" | awk "NR%5==0" | sed 's/.*self-warm-up at/  at/' | cut -c1-200
if [ "$WINDOWS" -ge 8 ]; then
  N=${#RATES[@]}
  echo "${RATES[@]}" | awk -v n=$N '{w=($(n)+$(n-1)+$(n-2)+$(n-3))/4; printf "window 4 / warm (mean of the last 4): %.0f / %.0f = %.0f %%\n", $4, w, 100*$4/w}'
fi
echo "end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
