// An independent WebSocket load generator for the gateway's /v1/events/ws (Node.js and the `ws` library, nothing
// shared with fleet-bench), to check fleet-bench's ws driver the way benchmarks/wrk/ checks its HTTP drivers.
//
//   cd benchmarks/ws && npm install          (once; `ws` only, no lock file)
//   KEY=$(cat .fleet/dev-api-key) node benchmarks/ws/ws-load.mjs http://localhost:8080 --rate 5000 --connections 4
//
// Each event is an order with "kind":"order", the same fields and value ranges as fleet-bench's ws driver (unique
// eventId, 1 000 accounts, current event time); a message holds one event, or --batch-size B events as NDJSON lines.
// The gateway answers every event on its socket in arrival order, "accepted" only after Kafka acknowledged it, each
// ack naming its event (a message refused as a whole gets one ack naming none), so each socket keeps its messages in
// a FIFO and the acks complete the oldest, event by event; a message is answered with its last event's ack.
//
// Options: --connections C (4) sockets, round-robin; --batch-size B (1) events per message; --duration S (15) seconds
// scored after --warm-up S (5) seconds not scored; either --rate R (open loop, R events/s: the n-th message is due
// n * B / R s after the start, whatever the answers) or --in-flight N (closed loop: N messages outstanding per
// socket). --max-in-flight N (256) caps the outstanding events per socket in open loop: when every socket is at the
// cap the schedule waits, so the achieved rate falls short instead of the client queueing without bound (the gateway
// itself stops reading a socket past 32 messages). --pacer fine|timer (fine): how the open loop keeps its schedule.
// fine: a worker thread sleeps until each message's due time (Atomics.wait, sub-millisecond, no spinning) and wakes
// the sending thread, so messages leave one at a time, spread as the schedule spreads them. timer: a 1 ms timer on
// the sending thread, which sends everything that fell due since the last tick at once (at 5 000 events/s, five
// events per tick) -- kept to compare with the runs made that way.
// Latency, per message: "service" is actual send -> ack of its last event; "from intended" adds the wait behind
// the schedule (open loop), as fleet-bench's open loop reports it; with B > 1 "ack spread" is the first -> last ack
// of a message. CPU is this process's user + system time over the scored part.
import WebSocket from 'ws';
import { Worker } from 'node:worker_threads';

const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith('--') && !isOptionValue(a));
if (!url) {
  console.error('usage: KEY=... node ws-load.mjs GATEWAY_URL [--rate R | --in-flight N] [--connections C]'
    + ' [--batch-size B] [--duration S] [--warm-up S] [--max-in-flight N] [--pacer fine|timer]');
  process.exit(2);
}
const connections = intOption('--connections', 4);
const durationS = intOption('--duration', 15);
const warmUpS = intOption('--warm-up', 5);
const rate = intOption('--rate', 0);
const batchSize = intOption('--batch-size', 1);
const inFlight = intOption('--in-flight', rate > 0 ? 0 : 64);
const maxInFlight = intOption('--max-in-flight', 256);
const pacer = textOption('--pacer', 'fine');
const key = process.env.KEY || '';
if (rate > 0 && args.includes('--in-flight')) {
  console.error('--rate (open loop) and --in-flight (closed loop) exclude each other');
  process.exit(2);
}
if (connections < 1 || batchSize < 1 || (rate === 0 && inFlight < 1)) {
  console.error('--connections, --batch-size and --in-flight need 1 or more');
  process.exit(2);
}
if (pacer !== 'fine' && pacer !== 'timer') {
  console.error(`--pacer is fine or timer, was ${pacer}`);
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

function textOption(name, fallback) {
  const i = args.indexOf(name);
  return i < 0 ? fallback : String(args[i + 1]);
}

const runId = Math.random().toString(36).slice(2, 8);
let counter = 0;
function event() {
  const n = ++counter;
  const cents = n % 100;
  const id = `wsl-${runId}-${n}`;
  return [id, `{"kind":"order","eventId":"${id}","accountId":"acc-${n % 1000}","symbol":"SYM${n % 50}",`
    + `"eventType":"CREATED","orderId":"o-${n}","side":"${n % 2 === 0 ? 'BUY' : 'SELL'}",`
    + `"price":${100 + (n % 50)}.${cents < 10 ? '0' : ''}${cents},"qty":${1 + (n % 500)},"eventTimeMs":${Date.now()}}`];
}

const nowNs = () => process.hrtime.bigint();
const start = nowNs();
const scoredFrom = start + BigInt(warmUpS) * 1_000_000_000n;
const scoredTo = scoredFrom + BigInt(durationS) * 1_000_000_000n;
// the n-th message is due n * gapNs after the start (open loop)
const gapNs = rate > 0 ? (BigInt(batchSize) * 1_000_000_000n) / BigInt(rate) : 0n;
const service = [];
const fromIntended = [];
const spread = [];
const statuses = new Map();
let scoredMessages = 0;
let scoredSent = 0;
let scoredAcked = 0;
let scoredAccepted = 0;
let outOfStep = 0;
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
    const socket = { ws, pending: [], outstanding: 0 };
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

// one message: its events' ids, when it was sent and due, how many of its events are answered
function send(socket, intendedNs) {
  const ids = [];
  const lines = [];
  for (let i = 0; i < batchSize; i++) {
    const [id, line] = event();
    ids.push(id);
    lines.push(line);
  }
  const text = lines.join('\n');
  const sentNs = nowNs();
  socket.pending.push({ ids, sentNs, intendedNs: intendedNs ?? sentNs, acked: 0, firstAckNs: 0n });
  socket.outstanding += batchSize;
  if (sentNs >= scoredFrom && sentNs < scoredTo) {
    scoredMessages++;
    scoredSent += batchSize;
  }
  socket.ws.send(text);
}

function onAck(socket, data) {
  const ackNs = nowNs();
  const message = socket.pending[0];
  if (message === undefined) return;
  let ack;
  try {
    ack = JSON.parse(data.toString());
  } catch {
    ack = { status: 'unreadable-ack' };
  }
  const status = ack.status ?? 'no-status';
  const scored = message.sentNs >= scoredFrom && message.sentNs < scoredTo;
  let answered;
  if (message.acked === 0 && batchSize > 1 && ack.eventId == null && status === 'rejected') {
    answered = message.ids.length; // the message refused as a whole: one ack for all its events
  } else {
    answered = 1;
    if (ack.eventId != null && ack.eventId !== message.ids[message.acked]) outOfStep++;
  }
  if (message.acked === 0) message.firstAckNs = ackNs;
  message.acked += answered;
  socket.outstanding -= answered;
  if (scored) {
    scoredAcked += answered;
    statuses.set(status, (statuses.get(status) ?? 0) + answered);
    if (status === 'accepted') scoredAccepted += answered;
  }
  if (message.acked < message.ids.length) return;
  socket.pending.shift();
  if (scored) {
    service.push(Number(ackNs - message.sentNs) / 1e6);
    fromIntended.push(Number(ackNs - message.intendedNs) / 1e6);
    if (batchSize > 1) spread.push(Number(ackNs - message.firstAckNs) / 1e6);
  }
  if (sending && rate === 0) send(socket);
  else if (sending) pump();
}

// open loop: sends every message whose time has come, oldest first, round-robin over the sockets below the cap
let sent = 0;
let next = 0;
function pump() {
  const now = nowNs();
  if (now >= scoredTo) return;
  let tried = 0;
  while (start + BigInt(sent) * gapNs <= now && tried < sockets.length) {
    const socket = sockets[next++ % sockets.length];
    if (socket.outstanding + batchSize > maxInFlight) {
      tried++;
      continue;
    }
    tried = 0;
    send(socket, start + BigInt(sent) * gapNs);
    sent++;
  }
}

// the fine pacer: a worker sleeps until each due time and wakes this thread with the message's number
const PACER = `
const { parentPort, workerData } = require('node:worker_threads');
const stop = new Int32Array(workerData.stop);
const start = BigInt(workerData.start);
const gapNs = BigInt(workerData.gapNs);
for (let n = 0n; Atomics.load(stop, 0) === 0; n++) {
  const due = start + n * gapNs;
  for (;;) {
    const waitMs = Number(due - process.hrtime.bigint()) / 1e6;
    if (waitMs <= 0 || Atomics.load(stop, 0) !== 0) break;
    Atomics.wait(stop, 0, 0, waitMs);
  }
  parentPort.postMessage(0);
}
`;
const stopPacer = new Int32Array(new SharedArrayBuffer(4));
let pacerWorker = null;

function tick() {
  const now = nowNs();
  if (cpuAtScoredStart === null && now >= scoredFrom) cpuAtScoredStart = process.cpuUsage();
  if (now >= scoredTo) {
    cpuScored = process.cpuUsage(cpuAtScoredStart ?? undefined);
    finish();
    return;
  }
  if (rate > 0) pump();
  // a timer, not a spin: on a 2-core machine a busy client takes CPU from the server it measures
  setTimeout(tick, rate > 0 && pacer === 'timer' ? 1 : 20);
}

if (rate === 0) {
  for (const socket of sockets) for (let i = 0; i < inFlight; i++) send(socket);
} else if (pacer === 'fine') {
  pacerWorker = new Worker(PACER, {
    eval: true,
    workerData: { stop: stopPacer.buffer, start: start.toString(), gapNs: gapNs.toString() },
  });
  pacerWorker.on('message', pump);
}
setTimeout(tick, 1);

function finish() {
  sending = false;
  if (pacerWorker !== null) {
    Atomics.store(stopPacer, 0, 1);
    Atomics.notify(stopPacer, 0);
  }
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
  const per = batchSize === 1 ? 'one event per message' : `${batchSize} events per message (NDJSON)`;
  const mode = rate > 0 ? `open loop at ${rate} events/s, ${pacer} pacer (max ${maxInFlight} events in flight per socket)`
    : `closed loop, ${inFlight} messages in flight per socket`;
  console.log(`ws-load ${wsUrl}: ${connections} sockets, ${per}, ${mode}, ${warmUpS} s warm-up, ${durationS} s scored`);
  console.log(`sent (scored)      ${scoredSent} events in ${scoredMessages} messages  acked ${scoredAcked}`
    + `  accepted ${scoredAccepted}`);
  console.log(`Events/sec         ${(scoredAccepted / durationS).toFixed(1)} accepted`
    + `  (${(scoredSent / durationS).toFixed(1)} sent; ${(scoredMessages / durationS).toFixed(1)} messages/s)`);
  console.log(`service p50 ${pct(service, 50).toFixed(3)} ms  p90 ${pct(service, 90).toFixed(3)} ms`
    + `  p99 ${pct(service, 99).toFixed(3)} ms  max ${pct(service, 100).toFixed(3)} ms (per message, to its last ack)`);
  if (rate > 0) {
    console.log(`from intended p50 ${pct(fromIntended, 50).toFixed(3)} ms  p99 ${pct(fromIntended, 99).toFixed(3)} ms`);
  }
  if (batchSize > 1) {
    console.log(`ack spread p50 ${pct(spread, 50).toFixed(3)} ms  p99 ${pct(spread, 99).toFixed(3)} ms`
      + ' (first -> last ack of a message)');
  }
  console.log(`statuses           ${JSON.stringify(Object.fromEntries(statuses))}`);
  console.log(`cpu                ${(cpuUs / 1000).toFixed(0)} ms, ${(cpuUs / Math.max(1, scoredSent)).toFixed(1)} us per event`);
  const notAnswered = sockets.reduce((n, s) => n + s.outstanding, 0);
  if (notAnswered > 0) console.log(`note: ${notAnswered} events not answered within 5 s after the run`);
  if (outOfStep > 0) console.log(`note: ${outOfStep} acks named another event than the one they answer (out of step)`);
}
