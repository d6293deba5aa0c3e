// StreamFleet console: history + live SSE feed, rendered as a table. No build step, no dependencies.
(function () {
  'use strict';
  const KEY_STORAGE = 'streamfleet.apiKey';
  const MAX_ROWS = 500;
  const TYPE_LABELS = { BURST_CREATE_MASS_CANCEL: 'Burst create / mass cancel', ENGAGEMENT_DROP: 'Engagement drop' };
  const $ = (id) => document.getElementById(id);
  const rows = new Map(); // alertId -> { alert, tr }
  let source = null;
  let lastEventId = null;
  let retryTimer = null;

  const timeFormat = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
  });
  const fmtTime = (ms) => timeFormat.format(new Date(ms));
  const fmtMs = (ms) => ms >= 1000 ? (ms / 1000).toFixed(1) + ' s' : Math.round(ms) + ' ms';
  const pct = (r) => (r * 100).toFixed(1) + ' %';

  function setStatus(kind, text) {
    const el = $('status');
    el.className = 'status ' + kind;
    el.textContent = text;
  }

  function filters() {
    const params = new URLSearchParams();
    for (const name of ['type', 'accountId', 'symbol', 'userId']) {
      const value = $(name).value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  function subject(a) {
    return a.type === 'ENGAGEMENT_DROP' ? 'user ' + a.userId : a.accountId + ' · ' + a.symbol;
  }

  function figures(a) {
    if (a.type === 'ENGAGEMENT_DROP') {
      return 'avg session ' + fmtMs(a.asdMs) + ' vs baseline ' + fmtMs(a.baselineAsdMs) + ' (−' + pct(a.dropRatio) + ')';
    }
    return a.created + ' created, ' + a.canceled + ' cancelled (' + pct(a.cancelRatio) + '), '
      + a.uniquePriceLevels + ' price levels in ' + fmtMs(a.windowEndMs - a.windowStartMs);
  }

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function show(alert, fresh) {
    if (!alert || !alert.alertId || rows.has(alert.alertId)) return;
    const tr = document.createElement('tr');
    tr.dataset.alertId = alert.alertId;
    tr.dataset.detectedAt = alert.detectedAtMs;
    cell(tr, fmtTime(alert.detectedAtMs)).title = new Date(alert.detectedAtMs).toISOString();
    const badge = document.createElement('span');
    badge.className = 'badge ' + alert.type;
    badge.textContent = TYPE_LABELS[alert.type] || alert.type;
    cell(tr, '').appendChild(badge);
    cell(tr, subject(alert));
    cell(tr, figures(alert));
    cell(tr, alert.note || '');
    cell(tr, alert.alertId, 'id');
    if (fresh) tr.classList.add('fresh');
    const body = $('alerts').tBodies[0];
    let before = null; // newest first
    for (const row of body.rows) {
      if (Number(row.dataset.detectedAt) < alert.detectedAtMs) { before = row; break; }
    }
    body.insertBefore(tr, before);
    rows.set(alert.alertId, tr);
    while (body.rows.length > MAX_ROWS) {
      const last = body.rows[body.rows.length - 1];
      rows.delete(last.dataset.alertId);
      last.remove();
    }
    $('empty').hidden = rows.size > 0;
  }

  async function loadHistory(key) {
    const params = filters();
    params.set('limit', '100');
    const response = await fetch('/v1/alerts?' + params, { headers: { Authorization: 'Bearer ' + key } });
    if (response.status === 401 || response.status === 403) {
      throw new Error('the API key was rejected (' + response.status + ')');
    }
    if (!response.ok) throw new Error('history answered ' + response.status);
    const page = await response.json();
    page.items.forEach((item) => show(item.alert, false));
  }

  function connect() {
    const key = $('apiKey').value.trim();
    if (!key) { setStatus('idle', 'enter an API key'); return; }
    localStorage.setItem(KEY_STORAGE, key);
    disconnect();
    const params = filters();
    params.set('access_token', key);
    if (lastEventId) params.set('lastEventId', lastEventId);
    setStatus('connecting', 'connecting…');
    source = new EventSource('/v1/alerts/stream?' + params);
    source.onopen = () => setStatus('live', 'live');
    source.onmessage = (event) => {
      lastEventId = event.lastEventId || lastEventId;
      try { show(JSON.parse(event.data), true); } catch (e) { /* not an alert */ }
    };
    source.onerror = () => {
      if (source && source.readyState === EventSource.CONNECTING) {
        setStatus('reconnecting', 'reconnecting…'); // the browser resumes with Last-Event-ID by itself
        return;
      }
      setStatus('reconnecting', 'connection lost, retrying…');
      disconnect();
      retryTimer = setTimeout(connect, 3000);
    };
    loadHistory(key).catch((e) => { setStatus('error', e.message); disconnect(); });
  }

  function disconnect() {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    if (source) { source.close(); source = null; }
  }

  $('settings').addEventListener('submit', (event) => {
    event.preventDefault();
    lastEventId = null; // new filters: start from now (history fills the table)
    rows.clear();
    $('alerts').tBodies[0].replaceChildren();
    $('empty').hidden = false;
    connect();
  });

  async function init() {
    const fromUrl = new URLSearchParams(location.search).get('key');
    let key = fromUrl || localStorage.getItem(KEY_STORAGE);
    if (!key) {
      try {
        const config = await (await fetch('/console/config')).json();
        key = config.prefilledKey;
      } catch (e) { /* no prefill */ }
    }
    if (key) { $('apiKey').value = key; connect(); }
  }
  init();
})();
