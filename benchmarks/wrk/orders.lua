-- wrk script: one order event per POST /v1/orders, the same shape fleet-bench's http-single driver sends
-- (unique eventId per request, 1 000 accounts, current event time). The API key comes from the environment:
--   KEY=$(cat .fleet/dev-api-key) wrk -t1 -c16 -d30s -s benchmarks/wrk/orders.lua http://localhost:8080
-- Set PATH_=/v1/events with KIND=1 to add "kind":"order", or BATCH=N for JSON arrays of N events to /v1/events;
-- BATCH=N NDJSON=1 sends the same N events as NDJSON lines (application/x-ndjson) instead of an array.
-- DELAY_MS=N paces it: before each request a connection waits a random 0..2N ms (mean N; random so that the
-- connections do not fire in step), so c connections offer about c / (N + latency) requests/s. That is still a
-- closed loop with think time: latency is measured from the actual send, and a stalled server slows the sending
-- instead of queueing requests, so it shows the service time at a given rate, never queueing behind a stall.
-- RATE=R paces to a schedule instead: R requests/s per wrk thread (use -t1); a connection that comes free claims the
-- next unclaimed request and waits for its tick (wrk's delay(), whole milliseconds): the n-th request leaves on the
-- wall-clock millisecond floor(n * 1000 / R) after the first, so R / 1000 requests leave together on each tick
-- (fleet-bench's default open loop spaces them 1 / R s apart; its --schedule ms-ticks sends this pattern). While the
-- connections keep up this holds R exactly; when they cannot, wrk sends as soon as a connection is free, so the rate
-- falls short instead of queueing, and its latency is still measured from the actual send (no correction for
-- coordinated omission). PACE=legacy gives the schedule of the first comparisons (see below).
local key = os.getenv("KEY") or ""
local batch = tonumber(os.getenv("BATCH") or "0")
local path = os.getenv("PATH_") or (batch > 0 and "/v1/events" or "/v1/orders")
local withKind = os.getenv("KIND") == "1" or batch > 0
local ndjson = os.getenv("NDJSON") == "1" and batch > 0
local delayMs = tonumber(os.getenv("DELAY_MS") or "0")
local counter = 0
local thread_id = 0
local prefix = ""

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  prefix = string.format("wrk-%d-%d-", os.time(), thread_id)
end

local function event()
  counter = counter + 1
  local sides = { "BUY", "SELL" }
  return string.format(
    '{%s"eventId":"%s%d","accountId":"acc-%d","symbol":"SYM%d","eventType":"CREATED","orderId":"o-%d","side":"%s",'
      .. '"price":%d.%02d,"qty":%d,"eventTimeMs":%d}',
    withKind and '"kind":"order",' or "", prefix, counter, counter % 1000, counter % 50, counter,
    sides[counter % 2 + 1], 100 + counter % 50, counter % 100, 1 + counter % 500, os.time() * 1000)
end

local rate = tonumber(os.getenv("RATE") or "0")

if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } sf_timespec;
    int clock_gettime(int clock_id, sf_timespec *tp);
  ]]
  local ts = ffi.new("sf_timespec")
  if os.getenv("PACE") == "legacy" then
    -- the schedule of the first comparisons (before 2026-12-05 15:00): slots n / R s apart on the monotonic clock,
    -- each waited for with ceil(slot - now) whole milliseconds. wrk's timers fire on its event loop's wall-clock
    -- milliseconds (when = now truncated to the ms + delay), so a slot leaves on one of two ticks depending on when
    -- its connection came free, and about a quarter of the requests at 1 000 req/s leave together with the one
    -- before (measured on loopback: 23.5 % of the gaps under 50 us). Kept to reproduce those tables.
    local function nowMs()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
    end
    local gapMs = 1000 / rate
    local nextMs = nil
    function delay()
      local now = nowMs()
      if nextMs == nil then
        nextMs = now
      end
      local wait = nextMs - now
      nextMs = nextMs + gapMs
      if wait <= 0 then
        return 0
      end
      return math.ceil(wait)
    end
  else
    -- the n-th request (n from 0) is due on the wall-clock millisecond tick floor(n * 1000 / R) after the first:
    -- the delay is counted from the current whole millisecond of CLOCK_REALTIME, the clock wrk's event loop times its
    -- timers by, so each request is given its own tick's timer and all requests of a tick fire in one pass of the
    -- loop: exactly one per tick at 1 000 req/s, R / 1000 back to back at R req/s. (A delay cannot be finer than a
    -- millisecond; fleet-bench --schedule ms-ticks sends the same pattern.)
    local function wallMs()
      ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME
      return tonumber(ts.tv_sec) * 1000 + math.floor(tonumber(ts.tv_nsec) / 1e6)
    end
    local n = 0
    local firstMs = nil
    function delay()
      local now = wallMs()
      if firstMs == nil then
        firstMs = now + 1
      end
      local due = firstMs + math.floor(n * 1000 / rate)
      n = n + 1
      if due <= now then
        return 0
      end
      return due - now
    end
  end
elseif delayMs > 0 then
  function delay()
    return math.random(0, 2 * delayMs)
  end
end

function request()
  local body
  if batch > 0 then
    local parts = {}
    for i = 1, batch do
      parts[i] = event()
    end
    if ndjson then
      body = table.concat(parts, "\n") .. "\n"
    else
      body = "[" .. table.concat(parts, ",") .. "]"
    end
  else
    body = event()
  end
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = ndjson and "application/x-ndjson" or "application/json",
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.3f ms, p90 %.2f ms, p99 %.2f ms; non-2xx/3xx %d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
