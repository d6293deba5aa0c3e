// StreamFleet console charts: plain SVG, no library (three small charts do not justify a dependency or a build step).
(function () {
  'use strict';
  const NS = 'http://www.w3.org/2000/svg';
  const COLORS = { BURST_CREATE_MASS_CANCEL: '#c0392b', ENGAGEMENT_DROP: '#2b5fb0' };

  function el(name, attrs, parent, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function svg(container, width, height, label) {
    container.replaceChildren();
    const root = el('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': label },
      container);
    el('title', {}, root, label);
    return root;
  }

  const scale = (d0, d1, r0, r1) => (v) => d1 === d0 ? (r0 + r1) / 2 : r0 + (v - d0) * (r1 - r0) / (d1 - d0);
  const secs = (ms) => (ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1) + ' s';

  /** A burst episode: orders by time (x) and price level (y); creates as dots, cancels as crosses; windows shaded. */
  function episode(container, ev) {
    const W = 720, H = 360, M = { l: 64, r: 16, t: 44, b: 46 };
    const times = ev.orders.map((o) => o.eventTimeMs);
    const t0 = Math.min(ev.burstStartMs, ...times), t1 = Math.max(ev.cancelEndMs, ...times);
    const levels = [...new Set(ev.orders.map((o) => o.priceLevel))].sort((a, b) => a - b);
    const lo = levels[0] - 1, hi = levels[levels.length - 1] + 1;
    const x = scale(t0, t1, M.l, W - M.r), y = scale(lo, hi, H - M.b, M.t);
    const created = ev.orders.filter((o) => o.eventType === 'CREATED').length;
    const root = svg(container, W, H, `Episode of ${ev.accountId} on ${ev.symbol}: ${created} creates and `
      + `${ev.orders.length - created} cancels drawn over ${levels.length} price levels`);
    root.classList.add('episode');
    el('rect', { class: 'window burst', x: x(ev.burstStartMs), y: M.t, width: x(ev.anchorMs) - x(ev.burstStartMs),
      height: H - M.t - M.b }, root);
    el('rect', { class: 'window cancel', x: x(ev.anchorMs), y: M.t, width: x(ev.cancelEndMs) - x(ev.anchorMs),
      height: H - M.t - M.b }, root);
    el('text', { class: 'window-label', x: x(ev.burstStartMs) + 4, y: M.t - 8 }, root, 'burst window');
    el('text', { class: 'window-label', x: x(ev.anchorMs) + 4, y: M.t - 8 }, root, 'cancel window');
    // y axis: one tick per level when few, else about eight
    const step = Math.max(1, Math.ceil(levels.length / 8));
    levels.filter((_, i) => i % step === 0).forEach((level) => {
      el('line', { class: 'grid', x1: M.l, x2: W - M.r, y1: y(level), y2: y(level) }, root);
      el('text', { class: 'tick', x: M.l - 6, y: y(level) + 4, 'text-anchor': 'end' }, root,
        (level * ev.tickSize).toFixed(2));
    });
    // x axis: seconds relative to the anchor (the burst's last create)
    for (let t = Math.ceil((t0 - ev.anchorMs) / 500) * 500; t <= t1 - ev.anchorMs; t += 500) {
      const px = x(ev.anchorMs + t);
      el('line', { class: 'axis', x1: px, x2: px, y1: H - M.b, y2: H - M.b + 5 }, root);
      el('text', { class: 'tick', x: px, y: H - M.b + 18, 'text-anchor': 'middle' }, root,
        (t > 0 ? '+' : t < 0 ? '−' : '') + secs(Math.abs(t)));
    }
    el('line', { class: 'axis', x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b }, root);
    el('text', { class: 'axis-label', x: (M.l + W - M.r) / 2, y: H - 6, 'text-anchor': 'middle' }, root,
      'time relative to the last create of the burst');
    el('text', { class: 'axis-label', x: 14, y: (M.t + H - M.b) / 2, 'text-anchor': 'middle',
      transform: `rotate(-90 14 ${(M.t + H - M.b) / 2})` }, root, 'price');
    for (const o of ev.orders) {
      const px = x(o.eventTimeMs), py = y(o.priceLevel);
      const label = `${o.eventType === 'CREATED' ? 'created' : 'cancelled'} ${o.price} at `
        + `${(o.eventTimeMs - ev.anchorMs) >= 0 ? '+' : ''}${o.eventTimeMs - ev.anchorMs} ms (${o.eventId})`;
      let mark;
      if (o.eventType === 'CREATED') {
        mark = el('circle', { class: 'mark created', cx: px, cy: py, r: 5 }, root);
      } else {
        mark = el('path', { class: 'mark cancelled', d: `M${px - 5} ${py - 5}L${px + 5} ${py + 5}M${px - 5} ${py + 5}`
          + `L${px + 5} ${py - 5}` }, root);
      }
      el('title', {}, mark, label);
    }
    legend(root, M.l + 8, 12, [['created', 'dot', 'key-created'], ['cancelled', 'cross', 'key-cancelled']]);
  }

  /** Legend entries [text, shape (dot, cross, line), class]; never the classes of data marks, so counts stay exact. */
  function legend(root, x0, y0, entries) {
    let xx = x0;
    entries.forEach(([text, shape, cls]) => {
      const yy = y0;
      const x0 = xx;
      xx += 30 + text.length * 7;
      if (shape === 'cross') {
        el('path', { class: cls, d: `M${x0 - 5} ${yy - 5}L${x0 + 5} ${yy + 5}M${x0 - 5} ${yy + 5}L${x0 + 5} ${yy - 5}` },
          root);
      } else if (shape === 'line') {
        el('line', { class: cls, x1: x0 - 8, x2: x0 + 8, y1: yy, y2: yy }, root);
      } else {
        el('circle', { class: cls, cx: x0, cy: yy, r: 5 }, root);
      }
      el('text', { class: 'legend', x: x0 + 12, y: yy + 4 }, root, text);
    });
  }

  /** A user's sessions: ASD per session (dots and line) against the EMA baseline each was judged by (dashed). */
  function baseline(container, points, droppedStartMs) {
    const W = 720, H = 340, M = { l: 64, r: 16, t: 36, b: 46 };
    const values = points.flatMap((p) => [p.asdMs, p.baselineBeforeMs ?? p.asdMs]);
    const max = Math.ceil(Math.max(1000, ...values) * 1.1 / 4000) * 4000;
    const x = scale(0, Math.max(1, points.length - 1), M.l + 20, W - M.r - 20), y = scale(0, max, H - M.b, M.t);
    const root = svg(container, W, H, `Average session duration of the last ${points.length} sessions against `
      + 'the baseline; the dropped session is highlighted');
    root.classList.add('baseline-chart');
    for (let i = 0; i <= 4; i++) {
      const v = max * i / 4;
      el('line', { class: 'grid', x1: M.l, x2: W - M.r, y1: y(v), y2: y(v) }, root);
      el('text', { class: 'tick', x: M.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, root, secs(v));
    }
    const base = points.map((p, i) => [i, p.baselineBeforeMs]).filter(([, v]) => v !== null && v !== undefined);
    if (base.length > 0) {
      el('path', { class: 'line baseline', d: base.map(([i, v], k) => `${k ? 'L' : 'M'}${x(i)} ${y(v)}`).join('') },
        root);
    }
    el('path', { class: 'line asd', d: points.map((p, i) => `${i ? 'L' : 'M'}${x(i)} ${y(p.asdMs)}`).join('') }, root);
    points.forEach((p, i) => {
      const dropped = p.sessionStartMs === droppedStartMs;
      const dot = el('circle', { class: 'session' + (dropped ? ' dropped' : p.drop ? ' drop' : ''), cx: x(i),
        cy: y(p.asdMs), r: dropped ? 8 : 5, 'data-asd-ms': p.asdMs, 'data-baseline-ms': p.baselineBeforeMs ?? '' },
        root);
      el('title', {}, dot, `session from ${new Date(p.sessionStartMs).toISOString()}: average ${secs(p.asdMs)}`
        + (p.baselineBeforeMs != null ? `, baseline ${secs(p.baselineBeforeMs)}` : ', first session')
        + (p.drop ? ' — engagement drop' : ''));
      if (dropped) {
        el('text', { class: 'dropped-label', x: x(i), y: y(p.asdMs) + 24, 'text-anchor': 'middle' }, root,
          'this alert');
      }
      el('text', { class: 'tick', x: x(i), y: H - M.b + 18, 'text-anchor': 'middle' }, root, String(i + 1));
    });
    el('line', { class: 'axis', x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b }, root);
    el('text', { class: 'axis-label', x: (M.l + W - M.r) / 2, y: H - 6, 'text-anchor': 'middle' }, root,
      'session (oldest to newest)');
    legend(root, M.l + 8, 12, [['average session duration', 'dot', 'key-session'],
      ['baseline before the session', 'line', 'key-baseline'], ['this alert\'s session', 'dot', 'key-dropped']]);
  }

  /** Alerts per minute, one stacked bar per minute by type. */
  function rates(container, overview) {
    const W = 960, H = 220, M = { l: 40, r: 12, t: 12, b: 34 };
    const types = Object.keys(overview.perMinute);
    const n = overview.minuteMs.length;
    const totals = overview.minuteMs.map((_, i) => types.reduce((s, t) => s + overview.perMinute[t][i], 0));
    const max = Math.max(4, ...totals);
    const bw = (W - M.l - M.r) / n;
    const y = scale(0, max, H - M.b, M.t);
    const root = svg(container, W, H, `Alerts per minute over the last ${n} minutes, ${overview.total} in all`);
    root.classList.add('rates');
    for (let i = 0; i <= 4; i++) {
      const v = Math.round(max * i / 4);
      el('line', { class: 'grid', x1: M.l, x2: W - M.r, y1: y(v), y2: y(v) }, root);
      el('text', { class: 'tick', x: M.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, root, String(v));
    }
    overview.minuteMs.forEach((minute, i) => {
      let base = 0;
      for (const type of types) {
        const count = overview.perMinute[type][i];
        if (!count) continue;
        const bar = el('rect', { class: 'bar', 'data-type': type, x: M.l + i * bw + 1, width: Math.max(1, bw - 2),
          y: y(base + count), height: y(base) - y(base + count), fill: COLORS[type] || '#777' }, root);
        el('title', {}, bar, `${new Date(minute).toLocaleTimeString()}: ${count} ${type}`);
        base += count;
      }
      if (i % 10 === 0 || i === n - 1) {
        el('text', { class: 'tick', x: M.l + i * bw + bw / 2, y: H - M.b + 16, 'text-anchor': 'middle' }, root,
          i === n - 1 ? 'now' : `−${n - 1 - i} min`);
      }
    });
    el('line', { class: 'axis', x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b }, root);
    types.forEach((type, i) => {
      el('rect', { x: M.l + 8 + i * 230, y: H - 12, width: 10, height: 10, fill: COLORS[type] || '#777' }, root);
      el('text', { class: 'legend', x: M.l + 22 + i * 230, y: H - 3 }, root, type.toLowerCase().replaceAll('_', ' '));
    });
  }

  window.StreamFleetCharts = { episode, baseline, rates };
})();
