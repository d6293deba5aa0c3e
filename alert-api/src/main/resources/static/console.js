// StreamFleet console: history + live SSE feed as a table, an alert's detail with its episode or baseline drawn, and
// an overview (rates, top subjects, pipeline health). Hash routes: #/alerts, #/alerts/<id>, #/overview. No build step.
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
    const link = document.createElement('a');
    link.href = '#/alerts/' + encodeURIComponent(alert.alertId);
    link.textContent = alert.alertId;
    cell(tr, '', 'id').appendChild(link);
    tr.addEventListener('click', (event) => {
      if (event.target !== link) location.hash = link.getAttribute('href');
    });
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
      if (currentView === 'overview') scheduleOverview(300);
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

  // ---- API and views --------------------------------------------------------------------------------------------
  let currentView = 'alerts';
  let overviewTimer = null;

  async function api(path) {
    const key = $('apiKey').value.trim();
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + key } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.detail || body.title || (path + ' answered ' + response.status));
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function showView(name) {
    currentView = name;
    for (const view of ['alerts', 'detail', 'overview']) $('view-' + view).hidden = view !== name;
    $('nav-alerts').toggleAttribute('aria-current', name === 'alerts');
    $('nav-overview').toggleAttribute('aria-current', name === 'overview');
    $('settings').hidden = name !== 'alerts';
    if (overviewTimer) { clearTimeout(overviewTimer); overviewTimer = null; }
  }

  function route() {
    const hash = location.hash.replace(/^#\/?/, '');
    if (hash.startsWith('alerts/')) {
      showView('detail');
      openDetail(decodeURIComponent(hash.substring('alerts/'.length)));
    } else if (hash === 'overview') {
      showView('overview');
      $('overview-title').focus();
      refreshOverview();
    } else {
      showView('alerts');
    }
  }

  function figure(list, term, value) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }

  async function openDetail(alertId) {
    const message = $('detail-message');
    const list = $('detail-figures');
    $('detail-title').textContent = 'Alert ' + alertId;
    $('detail-title').focus();
    $('detail-chart').replaceChildren();
    list.replaceChildren();
    message.textContent = 'loading…';
    let alert;
    try {
      alert = (await api('/v1/alerts/' + encodeURIComponent(alertId))).alert;
    } catch (e) {
      message.textContent = e.status === 404 ? 'No such alert: ' + e.message : 'Could not load the alert: ' + e.message;
      return;
    }
    $('detail-title').textContent = (TYPE_LABELS[alert.type] || alert.type) + ' · ' + subject(alert);
    figure(list, 'Detected', fmtTime(alert.detectedAtMs));
    if (alert.type === 'ENGAGEMENT_DROP') {
      figure(list, 'User', alert.userId);
      figure(list, 'Session', fmtTime(alert.sessionStartMs) + ' – ' + fmtTime(alert.sessionEndMs));
      figure(list, 'Average session', fmtMs(alert.asdMs));
      figure(list, 'Baseline', fmtMs(alert.baselineAsdMs));
      figure(list, 'Drop', pct(alert.dropRatio));
    } else {
      figure(list, 'Account · symbol', alert.accountId + ' · ' + alert.symbol);
      figure(list, 'Created', String(alert.created));
      figure(list, 'Cancelled', String(alert.canceled));
      figure(list, 'Cancel ratio', pct(alert.cancelRatio));
      figure(list, 'Price levels', String(alert.uniquePriceLevels));
      figure(list, 'Episode', fmtMs(alert.windowEndMs - alert.windowStartMs));
    }
    figure(list, 'Alert id', alert.alertId);
    try {
      if (alert.type === 'ENGAGEMENT_DROP') {
        const baseline = await api('/v1/alerts/' + encodeURIComponent(alertId) + '/baseline');
        const points = baseline.history || [];
        if (points.length === 0) { message.textContent = 'session-analytics keeps no session history for this user.'; return; }
        window.StreamFleetCharts.baseline($('detail-chart'), points, alert.sessionStartMs);
        figure(list, 'Baseline now', fmtMs(baseline.baselineAsdMs) + ' over ' + baseline.sessions + ' sessions');
        message.textContent = points.some((p) => p.sessionStartMs === alert.sessionStartMs) ? ''
          : 'The dropped session is older than the sessions session-analytics still keeps for this user.';
      } else {
        const evidence = await api('/v1/alerts/' + encodeURIComponent(alertId) + '/evidence');
        window.StreamFleetCharts.episode($('detail-chart'), evidence);
        const prices = evidence.orders.filter((o) => o.eventType === 'CREATED').map((o) => o.price);
        figure(list, 'Created prices', Math.min(...prices).toFixed(2) + ' – ' + Math.max(...prices).toFixed(2));
        message.textContent = evidence.orders.length < evidence.totalCreated + evidence.totalCanceled
          ? 'Showing ' + evidence.orders.length + ' of ' + (evidence.totalCreated + evidence.totalCanceled)
            + ' orders (an evenly spaced sample, first and last of each kind kept).' : '';
      }
    } catch (e) {
      message.textContent = 'No chart: ' + e.message;
    }
  }

  function scheduleOverview(delayMs) {
    if (overviewTimer) clearTimeout(overviewTimer);
    overviewTimer = setTimeout(refreshOverview, delayMs);
  }

  function fillTop(id, counts) {
    const list = $(id);
    list.replaceChildren();
    if (counts.length === 0) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = 'none in the last hour';
      list.appendChild(li);
    }
    for (const c of counts) {
      const li = document.createElement('li');
      li.textContent = c.name + ' ';
      const n = document.createElement('span');
      n.className = 'count';
      n.textContent = c.alerts;
      li.appendChild(n);
      list.appendChild(li);
    }
  }

  async function refreshOverview() {
    if (currentView !== 'overview') return;
    try {
      const overview = await api('/v1/console/overview?minutes=60');
      $('overview-total').textContent = overview.total;
      window.StreamFleetCharts.rates($('rate-chart'), overview);
      fillTop('top-accounts', overview.accounts);
      fillTop('top-symbols', overview.symbols);
      fillTop('top-users', overview.users);
      const health = await api('/v1/console/health');
      const body = $('health').tBodies[0];
      body.replaceChildren();
      for (const s of health.services) {
        const tr = document.createElement('tr');
        cell(tr, s.name);
        cell(tr, s.status, 'health ' + (s.status === 'UP' ? 'up' : 'down'));
        cell(tr, s.detail || s.url || '');
        body.appendChild(tr);
      }
      for (const g of health.consumerGroups) {
        const tr = document.createElement('tr');
        cell(tr, 'lag of ' + g.group);
        cell(tr, g.lag === null ? 'unknown' : g.lag + ' records', 'health ' + (g.lag === null ? 'down' : 'up'));
        cell(tr, g.detail || g.partitions + ' partitions');
        body.appendChild(tr);
      }
    } catch (e) {
      $('overview-total').textContent = '?';
      setStatus('error', 'overview: ' + e.message);
    }
    scheduleOverview(5000);
  }

  window.addEventListener('hashchange', route);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && currentView === 'detail') location.hash = '#/alerts';
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
    route();
  }
  init();
})();
