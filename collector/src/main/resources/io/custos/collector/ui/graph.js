// Performance graphs with uPlot (served from the collector's jar): one chart per series, the
// avg line inside its min–max band, and the warning and critical thresholds as lines.
import { api } from './api.js';
import { bytes, el, fill, message } from './util.js';

const pad = (n) => String(n).padStart(2, '0');

/** Epoch seconds as 24-hour local time; the date too when the range spans days. */
function clock(sec, withDate) {
  const d = new Date(sec * 1000);
  const hm = pad(d.getHours()) + ':' + pad(d.getMinutes());
  return withDate ? pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + hm : hm;
}

/** A value in its unit as people read it: bytes in KiB/MiB…, seconds as ms or s, percent. */
export function unitValue(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const r = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  if (unit === 'B') return v < 0 ? '-' + bytes(-v) : bytes(v);
  if (unit === '%') return r(v) + ' %';
  if (unit === 's') return Math.abs(v) < 1 && v !== 0 ? r(v * 1000) + ' ms' : r(v) + ' s';
  if (unit === 'ms') return r(v) + ' ms';
  return r(v) + (unit ? ' ' + unit : '');
}

/** The zone the graphs' times are in, e.g. "CET (Europe/Berlin)". */
function zoneName() {
  const p = new Intl.DateTimeFormat('en-GB', { timeZoneName: 'short' }).formatToParts(new Date()).find((x) => x.type === 'timeZoneName');
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (p ? p.value : '') + (tz && p && tz !== p.value ? ' (' + tz + ')' : '');
}

// Range → the step asked for, which picks the tier: raw samples, 5-minute or 1-hour buckets.
const RANGES = [
  { id: '4h', label: '4 hours', from: '-4h', step: '0' },
  { id: '1d', label: '1 day', from: '-1d', step: '5m' },
  { id: '7d', label: '7 days', from: '-7d', step: '1h' },
  { id: '400d', label: '400 days', from: '-400d', step: '1h' },
];

let loading = null;

/** Loads uPlot's script and stylesheet once. */
export function loadUplot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      document.head.append(el('link', { rel: 'stylesheet', href: '/ui/vendor/uplot/uPlot.min.css' }));
      const s = el('script', { src: '/ui/vendor/uplot/uPlot.iife.min.js' });
      s.onload = () => resolve(window.uPlot);
      s.onerror = () => reject(new Error('uPlot did not load'));
      document.head.append(s);
    });
  }
  return loading;
}

function sameLabels(a, b) {
  const ka = Object.keys(a || {}), kb = Object.keys(b || {});
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}

/** Warning and critical thresholds of a series from the last result of its service. */
function thresholds(services, s) {
  for (const svc of services) {
    if (svc.service !== s.service) continue;
    for (const m of svc.metrics || []) {
      if (m.name === s.metric && sameLabels(m.labels, s.labels)) return { warn: m.warn, crit: m.crit };
    }
  }
  return {};
}

function css(name) {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || '#888';
}

/**
 * The graphs of `host`'s series (those `only(series)` accepts, all when absent) into `box`;
 * `services()` gives the service rows for thresholds. Every series is read at once and the charts
 * drawn together. Returns a function that stops it.
 */
export function graphs(box, host, services, only) {
  let range = RANGES[0];
  let charts = [];
  let gone = false;
  const filter = el('input', { type: 'search', placeholder: 'Filter metrics', id: 'graph-filter' });
  const buttons = el('div', { class: 'ranges' });
  const grid = el('div', { class: 'chart-grid' });
  fill(box, el('h2', { text: 'Performance graphs' }), el('div', { class: 'toolbar' }, buttons, filter,
    el('small', { class: 'hint', id: 'graph-zone', text: 'times 24-hour, ' + zoneName() })), grid);
  filter.addEventListener('input', () => {
    const f = filter.value.toLowerCase();
    for (const c of grid.children) c.hidden = f && !c.dataset.name.includes(f);
  });

  function drawButtons() {
    fill(buttons, ...RANGES.map((r) => el('button', {
      type: 'button', class: r === range ? 'on' : '', text: r.label, dataset: { range: r.id },
      onclick: () => {
        range = r;
        drawButtons();
        draw();
      },
    })));
  }

  async function draw() {
    charts.forEach((c) => c.destroy());
    charts = [];
    let uPlot, list;
    try {
      [uPlot, list] = await Promise.all([loadUplot(), api('/api/v1/metrics/' + encodeURIComponent(host) + '?limit=10000')]);
    } catch (e) {
      fill(grid, message('Graphs unavailable: ' + e.message, 'error'));
      return;
    }
    if (only) list = list.filter(only);
    fill(grid);
    if (!list.length) grid.append(message('No metrics recorded for this ' + (only ? 'service.' : 'host.')));
    const cards = list.map((s) => {
      const title = s.metric + (Object.keys(s.labels || {}).length
        ? '{' + Object.entries(s.labels).map(([k, v]) => k + '="' + v + '"').join(',') + '}' : '');
      const card = el('figure', { class: 'chart', dataset: { name: (title + ' ' + s.service).toLowerCase() } },
        el('figcaption', {}, el('b', { text: title }), ' ', el('small', { text: (s.service || '') + (s.unit ? ' [' + s.unit + ']' : '') })));
      grid.append(card);
      return card;
    });
    // All series at once: the charts appear together, not one after the other.
    const results = await Promise.all(list.map((s) => {
      const q = new URLSearchParams({ from: range.from, to: 'now', step: range.step, ...s.labels });
      return api('/api/v1/metrics/' + encodeURIComponent(host) + '/' + encodeURIComponent(s.metric) + '?' + q)
        .then((data) => ({ data }), (error) => ({ error }));
    }));
    if (gone) return;
    list.forEach((s, i) => {
      const { data, error } = results[i];
      if (error) {
        cards[i].append(message(error.message, 'error'));
        return;
      }
      const series = data.series.find((x) => sameLabels(x.labels, s.labels)) || data.series[0];
      if (!series) return;
      const th = 'warning' in series ? { warn: series.warning, crit: series.critical } : thresholds(services(), s);
      charts.push(chart(uPlot, cards[i], series, th, data.resolution, s.unit || series.unit, range));
    });
  }

  drawButtons();
  draw();
  return () => {
    gone = true;
    charts.forEach((c) => c.destroy());
  };
}

function chart(uPlot, card, series, th, resolution, unit, range) {
  const pts = series.points;
  const raw = series.columns.length === 2;
  const xs = pts.map((p) => p[0] / 1000);
  const avg = pts.map((p) => p[1]);
  const data = [xs, avg];
  const days = range && range.id !== '4h';
  const fmt = (u, v) => unitValue(v, unit);
  const ss = [{ value: (u, v) => (v === null || v === undefined ? '—' : clock(v, true)) },
    { label: raw ? 'value' : 'avg', stroke: css('--accent'), width: 1.5, value: fmt }];
  const bands = [];
  if (!raw) {
    data.push(pts.map((p) => p[2]), pts.map((p) => p[3]));
    ss.push({ label: 'min', stroke: css('--band-edge'), width: 0.5, value: fmt }, { label: 'max', stroke: css('--band-edge'), width: 0.5, value: fmt });
    bands.push({ series: [3, 2], fill: css('--band') });
  }
  for (const [name, v, color] of [['warning', th.warn, '--warning'], ['critical', th.crit, '--critical']]) {
    if (v === null || v === undefined) continue;
    data.push(xs.map(() => v));
    ss.push({ label: name, stroke: css(color), dash: [6, 4], width: 1, points: { show: false }, value: fmt });
  }
  card.dataset.points = String(pts.length);
  card.dataset.resolution = resolution;
  const width = Math.max(280, card.clientWidth - 16);
  const axis = { stroke: css('--muted'), grid: { stroke: css('--grid') }, ticks: { stroke: css('--grid') } };
  return new uPlot({
    width, height: 180, series: ss, bands, legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    axes: [{ ...axis, values: (u, splits) => splits.map((v) => clock(v, days)) },
      { ...axis, size: 70, values: (u, splits) => splits.map((v) => unitValue(v, unit)) }],
    scales: { x: { time: true } },
  }, data, card);
}
