// An independent WebSocket load generator for the gateway's /v1/events/ws (Node.js and the `ws` library, nothing
// shared with fleet-bench), to check fleet-bench's ws driver the way benchmarks/wrk/ checks its HTTP drivers.
//
//   cd benchmarks/ws && npm install          (once; `ws` only, no lock file)
//   KEY=$(cat .fleet/dev-api-key) node benchmarks/ws/ws-load.mjs http://localhost:8080 --rate 5000 --connections 4
//
// Each message is one order event with "kind":"order", the same fields and value ranges as fleet-bench's ws driver
// (unique eventId, 1 000 accounts, current event time). The gateway answers every event on its socket in arrival
// order, "accepted" only after Kafka acknowledged it, so each socket keeps its send times in a FIFO and an ack
// completes the oldest.
//
// Options: --connections C (4) sockets, round-robin; --duration S (15) seconds scored after --warm-up S (5) seconds
// not scored; either --rate R (open loop: the n-th event is due n / R s after the start, whatever the answers) or
// --in-flight N (closed loop: N events outstanding per socket). --max-in-flight N (256) caps the outstanding events
// per socket in open loop: when every socket is at the cap the schedule waits, so the achieved rate falls short
// instead of the client queueing without bound (the gateway itself stops reading a socket past 32 messages).
// Latency: "service" is actual send -> ack; "from intended" adds the wait behind the schedule (open loop), as
// fleet-bench's open loop reports it. CPU is this process's user + system time over the scored part.
import WebSocket from 'ws';

const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith('--') && !isOptionValue(a));
if (!url) {
  console.error('usage: KEY=... node ws-load.mjs GATEWAY_URL [--rate R | --in-flight N] [--connections C]'
    + ' [--duration S] [--warm-up S] [--max-in-flight N]');
  process.exit(2);
}
const connections = intOption('--connections', 4);
const durationS = intOption('--duration', 15);
const warmUpS = intOption('--warm-up', 5);
const rate = intOption('--rate', 0);
const inFlight = intOption('--in-flight', rate > 0 ? 0 : 64);
const maxInFlight = intOption('--max-in-flight', 256);
const key = process.env.KEY || '';
if (rate > 0 && args.includes('--in-flight')) {
  console.error('--rate (open loop) and --in-flight (closed loop) exclude each other');
  process.exit(2);
}

function isOptionValue(a) {
  const i = args.indexOf(a);
  return i > 0 && args[i - 1].startsWith('--');
}

function intOption(name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} needs a whole number >= 0, was ${args[i + 1]}`);
    process.exit(2);
  }
  return value;
}

const runId = Math.random().toString(36).slice(2, 8);
let counter = 0;
function event() {
  const n = ++counter;
  const cents = n % 100;
  return `{"kind":"order","eventId":"wsl-${runId}-${n}","accountId":"acc-${n % 1000}","symbol":"SYM${n % 50}",`
    + `"eventType":"CREATED","orderId":"o-${n}","side":"${n % 2 === 0 ? 'BUY' : 'SELL'}",`
    + `"price":${100 + (n % 50)}.${cents < 10 ? '0' : ''}${cents},"qty":${1 + (n % 500)},"eventTimeMs":${Date.now()}}`;
}

const nowNs = () => process.hrtime.bigint();
const start = nowNs();
const scoredFrom = start + BigInt(warmUpS) * 1_000_000_000n;
const scoredTo = scoredFrom + BigInt(durationS) * 1_000_000_000n;
const service = [];
const fromIntended = [];
const statuses = new Map();
let scoredSent = 0;
let scoredAcked = 0;
let scoredAccepted = 0;
let sending = true;
let cpuAtScoredStart = null;
let cpuScored = null;

const wsUrl = url.replace(/^http/, 'ws').replace(/\/$/, '') + '/v1/events/ws';
let sockets;
try {
  sockets = await Promise.all(Array.from({ length: connections }, () => open()));
} catch (e) {
  console.error(`cannot open ${wsUrl}: ${e.message}`);
  process.exit(1);
}

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers: { Authorization: `Bearer ${key}` }, perMessageDeflate: false });
    const socket = { ws, pending: [] };
    ws.on('open', () => resolve(socket));
    ws.on('unexpected-response', (req, res) => reject(new Error(`handshake refused: HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('message', (data) => onAck(socket, data));
    ws.on('close', () => {
      if (sending) {
        console.error('a socket closed during the run');
        process.exit(1);
      }
    });
  });
}

function send(socket, intendedNs) {
  const sentNs = nowNs();
  socket.pending.push([sentNs, intendedNs ?? sentNs]);
  if (sentNs >= scoredFrom && sentNs < scoredTo) scoredSent++;
  socket.ws.send(event());
}

function onAck(socket, data) {
  const ackNs = nowNs();
  const [sentNs, intendedNs] = socket.pending.shift();
  let status;
  try {
    status = JSON.parse(data.toString()).status ?? 'no-status';
  } catch {
    status = 'unreadable-ack';
  }
  if (sentNs >= scoredFrom && sentNs < scoredTo) {
    scoredAcked++;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status === 'accepted') scoredAccepted++;
    service.push(Number(ackNs - sentNs) / 1e6);
    fromIntended.push(Number(ackNs - intendedNs) / 1e6);
  }
  if (sending && rate === 0) send(socket);
}

function tick() {
  const now = nowNs();
  if (cpuAtScoredStart === null && now >= scoredFrom) cpuAtScoredStart = process.cpuUsage();
  if (now >= scoredTo) {
    cpuScored = process.cpuUsage(cpuAtScoredStart ?? undefined);
    finish();
    return;
  }
  if (rate > 0) {
    const due = Number(((now - start) * BigInt(rate)) / 1_000_000_000n);
    let tried = 0;
    while (sent < due && tried < sockets.length) {
      const socket = sockets[next++ % sockets.length];
      if (socket.pending.length >= maxInFlight) {
        tried++;
        continue;
      }
      tried = 0;
      send(socket, start + (BigInt(sent) * 1_000_000_000n) / BigInt(rate));
      sent++;
    }
  }
  // a 1 ms timer, not a spin: on a 2-core machine a busy client takes CPU from the server it measures
  setTimeout(tick, rate > 0 ? 1 : 20);
}

let sent = 0;
let next = 0;
if (rate === 0) {
  for (const socket of sockets) for (let i = 0; i < inFlight; i++) send(socket);
}
setTimeout(tick, 1);

function finish() {
  sending = false;
  const waitUntil = Date.now() + 5000;
  const poll = () => {
    if (sockets.every((s) => s.pending.length === 0) || Date.now() > waitUntil) {
      report();
      for (const s of sockets) s.ws.close(1000, 'done');
      setTimeout(() => process.exit(0), 200);
    } else {
      setTimeout(poll, 20);
    }
  };
  poll();
}

function pct(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report() {
  const cpuUs = cpuScored.user + cpuScored.system;
  const mode = rate > 0 ? `open loop at ${rate} events/s (max ${maxInFlight} in flight per socket)`
    : `closed loop, ${inFlight} in flight per socket`;
  console.log(`ws-load ${wsUrl}: ${connections} sockets, ${mode}, ${warmUpS} s warm-up, ${durationS} s scored`);
  console.log(`sent (scored)      ${scoredSent}  acked ${scoredAcked}  accepted ${scoredAccepted}`);
  console.log(`Events/sec         ${(scoredAccepted / durationS).toFixed(1)} accepted`
    + `  (${(scoredSent / durationS).toFixed(1)} sent)`);
  console.log(`service p50 ${pct(service, 50).toFixed(3)} ms  p90 ${pct(service, 90).toFixed(3)} ms`
    + `  p99 ${pct(service, 99).toFixed(3)} ms  max ${pct(service, 100).toFixed(3)} ms`);
  if (rate > 0) {
    console.log(`from intended p50 ${pct(fromIntended, 50).toFixed(3)} ms  p99 ${pct(fromIntended, 99).toFixed(3)} ms`);
  }
  console.log(`statuses           ${JSON.stringify(Object.fromEntries(statuses))}`);
  console.log(`cpu                ${(cpuUs / 1000).toFixed(0)} ms, ${(cpuUs / Math.max(1, scoredSent)).toFixed(1)} us per event`);
  const notAnswered = sockets.reduce((n, s) => n + s.pending.length, 0);
  if (notAnswered > 0) console.log(`note: ${notAnswered} events not answered within 5 s after the run`);
}
