// The dashboard page: plain DOM and SVG, no framework and nothing fetched from elsewhere (the
// server's CSP allows only its own files). State arrives over server-sent events from /events.
// Every text goes in through textContent, never innerHTML.

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The pipeline's order; stages not listed go after these, alphabetically. */
const STAGE_ORDER = [
  'producer',
  'auth',
  'sanitize',
  'detect',
  'enqueue',
  'queue',
  'worker',
  'backend',
  'output-scan',
  'analytics',
];
const KIND_ORDER = ['producer', 'consumer', 'server', 'client', 'internal'];
const PALETTE = [
  '#4e9cf5',
  '#f5a524',
  '#e5484d',
  '#30a46c',
  '#a06cf0',
  '#12a594',
  '#ef6fb0',
  '#c9a227',
  '#8d99ae',
  '#ff8b3d',
];
const PLOT = { width: 760, height: 360, left: 64, right: 14, top: 14, bottom: 44 };

const state = { alerts: [], window: null, xAxis: 'stage', windowMs: 60_000 };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function colour(cluster) {
  return PALETTE[cluster % PALETTE.length];
}

function formatMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10000 ? 0 : 1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(ms >= 1 ? 1 : 2)} ms`;
}

function formatTime(epochMs) {
  return new Date(epochMs).toISOString().slice(11, 19);
}

function formatRate(n) {
  return n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(1);
}

/** A stable number in [0, 1) from a string (FNV-1a), so a point's jitter does not move on redraw. */
function unitHash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x100000000;
}

function safeLink(url) {
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url : null;
}

// ---- alerts

function renderAlerts() {
  const list = $('alerts');
  list.replaceChildren();
  $('alert-count').textContent = String(state.alerts.length);
  $('alerts-empty').hidden = state.alerts.length > 0;
  for (const a of state.alerts) {
    const item = el('li', {
      'data-alert-id': a.alertId,
      'data-severity': a.severity,
      'data-stage': a.stage,
      'data-error-type': a.errorType,
    });
    const head = el('div', { class: 'alert-head' });
    head.append(
      el('span', { class: 'sev' }, a.severity),
      el('span', { class: 'alert-summary' }, a.summary),
      el('span', { class: 'muted' }, `${formatTime(a.windowStart)}–${formatTime(a.windowEnd)} UTC`),
    );
    const meta = el(
      'div',
      { class: 'alert-meta' },
      `${a.stage} · ${a.spanName} · ${a.errorType} · ${a.clusterSize} spans (${Math.round(a.share * 100)}% of errors) · ` +
        `p50 ${formatMs(a.p50Ms)} · p99 ${formatMs(a.p99Ms)} · ${a.reason} · traces ${a.exemplarTraceIds.slice(0, 3).join(', ')}`,
    );
    const link = safeLink(a.link);
    if (link) {
      meta.append(' · ');
      meta.append(el('a', { href: link, target: '_blank', rel: 'noopener noreferrer' }, 'open in Jaeger'));
    }
    item.append(head, meta);
    list.append(item);
  }
}

function addAlert(alert) {
  if (state.alerts.some((a) => a.alertId === alert.alertId)) return;
  state.alerts.unshift(alert);
  if (state.alerts.length > 50) state.alerts.pop();
  renderAlerts();
}

// ---- scatter plot

function categoriesOf(points, axis) {
  const order = axis === 'stage' ? STAGE_ORDER : KIND_ORDER;
  const present = [...new Set(points.map((p) => p[axis]))];
  return present.sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia !== ib) return (ia === -1 ? order.length : ia) - (ib === -1 ? order.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function renderScatter() {
  const plot = $('scatter');
  plot.replaceChildren();
  const w = state.window;
  const legend = $('clusters');
  legend.replaceChildren();
  if (!w) {
    $('window-info').textContent =
      `Waiting for the first ${Math.round(state.windowMs / 1000)}-second window of error spans to close…`;
    return;
  }
  const axis = state.xAxis;
  $('window-info').textContent =
    `${formatTime(w.windowStart)}–${formatTime(w.windowEnd)} UTC · ${w.errorCount.toLocaleString('en')} error spans of ` +
    `${w.totalSpans.toLocaleString('en')} · k = ${w.k}` +
    (w.silhouette === null ? '' : ` (silhouette ${w.silhouette.toFixed(2)})`) +
    (w.sampled ? ` · ${w.points.length.toLocaleString('en')} points drawn` : '');
  plot.setAttribute('data-window-start', String(w.windowStart));
  plot.setAttribute('data-k', String(w.k));

  const innerW = PLOT.width - PLOT.left - PLOT.right;
  const innerH = PLOT.height - PLOT.top - PLOT.bottom;
  const cats = categoriesOf(w.points, axis);
  const band = innerW / Math.max(1, cats.length);
  const durations = w.points.map((p) => Math.max(p.durationMs, 0.01));
  const lo = Math.floor(Math.log10(Math.min(...durations, 1)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...durations, 10))));
  const y = (ms) => PLOT.top + innerH - ((Math.log10(Math.max(ms, 0.01)) - lo) / (hi - lo)) * innerH;

  const grid = svg('g', { class: 'grid' });
  for (let d = lo; d <= hi; d++) {
    const yy = y(10 ** d);
    grid.append(svg('line', { x1: PLOT.left, x2: PLOT.width - PLOT.right, y1: yy, y2: yy }));
    grid.append(svg('text', { x: PLOT.left - 6, y: yy + 4, 'text-anchor': 'end' }, formatMs(10 ** d)));
  }
  cats.forEach((c, i) => {
    const cx = PLOT.left + band * (i + 0.5);
    grid.append(svg('text', { x: cx, y: PLOT.height - PLOT.bottom + 16, 'text-anchor': 'middle' }, c));
    if (i > 0) {
      const x = PLOT.left + band * i;
      grid.append(
        svg('line', { x1: x, x2: x, y1: PLOT.top, y2: PLOT.top + innerH, 'stroke-dasharray': '2 4' }),
      );
    }
  });
  grid.append(
    svg(
      'text',
      {
        x: 14,
        y: PLOT.top + innerH / 2,
        transform: `rotate(-90 14 ${PLOT.top + innerH / 2})`,
        'text-anchor': 'middle',
      },
      'duration (log scale)',
    ),
  );
  grid.append(
    svg(
      'text',
      { x: PLOT.left + innerW / 2, y: PLOT.height - 6, 'text-anchor': 'middle' },
      axis === 'stage' ? 'stage' : 'span kind',
    ),
  );
  plot.append(grid);

  const dots = svg('g', { class: 'points' });
  for (const p of w.points) {
    const i = cats.indexOf(p[axis]);
    const cx = PLOT.left + band * (i + 0.5) + (unitHash(p.traceId + p.errorType) - 0.5) * band * 0.7;
    const dot = svg('circle', {
      cx: cx.toFixed(1),
      cy: y(p.durationMs).toFixed(1),
      r: 3.2,
      fill: colour(p.cluster),
      'fill-opacity': 0.75,
      'data-cluster': p.cluster,
      'data-stage': p.stage,
      'data-kind': p.kind,
      'data-error-type': p.errorType,
    });
    dot.append(
      svg(
        'title',
        {},
        `cluster ${p.cluster} · ${p.stage} · ${p.kind} · ${p.errorType} · ${formatMs(p.durationMs)} · trace ${p.traceId}`,
      ),
    );
    dots.append(dot);
  }
  plot.append(dots);

  for (const c of [...w.clusters].sort((a, b) => b.size - a.size)) {
    const item = el('li', { 'data-cluster-id': c.id, 'data-alerted': c.alerted });
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = colour(c.id);
    const body = el('div');
    body.append(
      el('div', { class: 'sig' }, `#${c.id} ${c.stage} · ${c.errorType}`),
      el(
        'div',
        { class: 'muted' },
        `${c.spanName} · ${c.size.toLocaleString('en')} spans (${Math.round(c.share * 100)}%) · p50 ${formatMs(c.p50Ms)} · p99 ${formatMs(c.p99Ms)}` +
          (c.model ? ` · ${c.model}` : ''),
      ),
    );
    item.append(swatch, body);
    legend.append(item);
  }
}

// ---- counters and pool

function renderBars(container, rows, emptyText) {
  container.replaceChildren();
  if (rows.length === 0) {
    container.append(el('p', { class: 'muted' }, emptyText));
    return;
  }
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  for (const r of rows) {
    const row = el('div', { class: 'row', ...r.attrs });
    const track = el('div', { class: 'track' });
    const fill = el('div', { class: 'fill' });
    fill.style.width = `${((r.value / max) * 100).toFixed(1)}%`;
    track.append(fill);
    row.append(
      el('span', { class: 'label', title: r.title || r.label }, r.label),
      track,
      el('span', { class: 'value' }, r.text),
    );
    container.append(row);
  }
}

function renderStats(s) {
  const stages = [...s.throughput].sort((a, b) => {
    const ia = STAGE_ORDER.indexOf(a.stage);
    const ib = STAGE_ORDER.indexOf(b.stage);
    return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || (a.stage < b.stage ? -1 : 1);
  });
  renderBars(
    $('throughput'),
    stages.map((t) => ({
      label: t.stage,
      value: t.perSecond,
      text: `${formatRate(t.perSecond)}/s · ${t.total.toLocaleString('en')}`,
      attrs: { 'data-stage': t.stage, 'data-rate': t.perSecond, 'data-total': t.total },
    })),
    'No span yet.',
  );
  $('rejection-total').textContent = s.rejections.total.toLocaleString('en');
  renderBars(
    $('rejections'),
    s.rejections.byCode.map((r) => ({
      label: r.code,
      title: `${r.code} (${r.stages.join(', ')})`,
      value: r.count,
      text: `${r.count.toLocaleString('en')} · ${r.stages.join(', ')}`,
      attrs: { 'data-code': r.code, 'data-count': r.count },
    })),
    'No rejection yet.',
  );
  renderPool(s.pool, s.poolError);
  const f = s.feeds;
  $('feeds').textContent =
    `read since start: ${f.spans.toLocaleString('en')} spans · ${f.rejections.toLocaleString('en')} rejections · ` +
    `${f.alerts.toLocaleString('en')} alerts` +
    (f.undecodable ? ` · ${f.undecodable.toLocaleString('en')} undecodable` : '');
  $('updated').textContent = `updated ${formatTime(s.now)} UTC`;
}

function renderPool(pool, error) {
  const errorLine = $('pool-error');
  errorLine.hidden = !error;
  errorLine.textContent = error || '';
  const body = $('pool').tBodies[0];
  body.replaceChildren();
  if (!pool || pool.length === 0) {
    const row = el('tr');
    row.append(el('td', { colspan: 12, class: 'muted' }, 'No model queue yet.'));
    body.append(row);
    return;
  }
  for (const q of pool) {
    const row = el('tr', { 'data-model': q.model, 'data-preemptions': q.preemptions });
    const cells = [
      q.model,
      q.slots,
      q.running,
      q.waiting.interactive,
      q.waiting.standard,
      q.waiting.batch,
      q.waiting.unprioritised,
      q.waiting.other,
      q.delayed,
      q.preemptions,
      q.completed,
      q.failed,
    ];
    cells.forEach((v, i) => {
      const cell = el('td', {}, typeof v === 'number' ? v.toLocaleString('en') : v);
      if ((i === 9 && v > 0) || (i === 2 && q.slots > 0 && q.running >= q.slots)) cell.className = 'hot';
      row.append(cell);
    });
    body.append(row);
  }
}

// ---- live updates

function setConnection(stateName, text) {
  const pill = $('connection');
  pill.dataset.state = stateName;
  pill.textContent = text;
}

function connect() {
  const events = new EventSource('/events');
  events.addEventListener('open', () => setConnection('live', 'live'));
  events.addEventListener('error', () => setConnection('down', 'reconnecting…'));
  events.addEventListener('snapshot', (e) => {
    const s = JSON.parse(e.data);
    state.alerts = s.alerts;
    state.window = s.window;
    state.windowMs = s.windowMs;
    renderAlerts();
    renderScatter();
    renderStats(s);
    document.body.dataset.windowSource = s.windowSource;
    document.body.dataset.ready = 'true';
  });
  events.addEventListener('alert', (e) => addAlert(JSON.parse(e.data)));
  events.addEventListener('window', (e) => {
    state.window = JSON.parse(e.data);
    renderScatter();
  });
  events.addEventListener('stats', (e) => renderStats(JSON.parse(e.data)));
}

$('x-axis').addEventListener('change', (e) => {
  state.xAxis = e.target.value;
  renderScatter();
});
connect();
