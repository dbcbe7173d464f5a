// Performance graphs with uPlot (served from the collector's jar): one chart per series, the
// avg line inside its min–max band, and the warning and critical thresholds as lines.
import { api } from './api.js';
import { el, fill, message } from './util.js';

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

export function graphs(box, host, services) {
  let range = RANGES[0];
  let charts = [];
  let gone = false;
  const filter = el('input', { type: 'search', placeholder: 'Filter metrics', id: 'graph-filter' });
  const buttons = el('div', { class: 'ranges' });
  const grid = el('div', { class: 'chart-grid' });
  fill(box, el('h2', { text: 'Performance graphs' }), el('div', { class: 'toolbar' }, buttons, filter), grid);
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
    fill(grid);
    if (!list.length) grid.append(message('No metrics recorded for this host.'));
    for (const s of list) {
      if (gone) return;
      const title = s.metric + (Object.keys(s.labels || {}).length
        ? '{' + Object.entries(s.labels).map(([k, v]) => k + '="' + v + '"').join(',') + '}' : '');
      const card = el('figure', { class: 'chart', dataset: { name: (title + ' ' + s.service).toLowerCase() } },
        el('figcaption', {}, el('b', { text: title }), ' ', el('small', { text: (s.service || '') + (s.unit ? ' [' + s.unit + ']' : '') })));
      grid.append(card);
      const q = new URLSearchParams({ from: range.from, to: 'now', step: range.step, ...s.labels });
      let data;
      try {
        data = await api('/api/v1/metrics/' + encodeURIComponent(host) + '/' + encodeURIComponent(s.metric) + '?' + q);
      } catch (e) {
        card.append(message(e.message, 'error'));
        continue;
      }
      const series = data.series.find((x) => sameLabels(x.labels, s.labels)) || data.series[0];
      if (!series || gone) continue;
      const th = 'warning' in series ? { warn: series.warning, crit: series.critical } : thresholds(services(), s);
      charts.push(chart(uPlot, card, series, th, data.resolution));
    }
  }

  drawButtons();
  draw();
  return () => {
    gone = true;
    charts.forEach((c) => c.destroy());
  };
}

function chart(uPlot, card, series, th, resolution) {
  const pts = series.points;
  const raw = series.columns.length === 2;
  const xs = pts.map((p) => p[0] / 1000);
  const avg = pts.map((p) => p[1]);
  const data = [xs, avg];
  const ss = [{}, { label: raw ? 'value' : 'avg', stroke: css('--accent'), width: 1.5 }];
  const bands = [];
  if (!raw) {
    data.push(pts.map((p) => p[2]), pts.map((p) => p[3]));
    ss.push({ label: 'min', stroke: css('--band-edge'), width: 0.5 }, { label: 'max', stroke: css('--band-edge'), width: 0.5 });
    bands.push({ series: [3, 2], fill: css('--band') });
  }
  for (const [name, v, color] of [['warning', th.warn, '--warning'], ['critical', th.crit, '--critical']]) {
    if (v === null || v === undefined) continue;
    data.push(xs.map(() => v));
    ss.push({ label: name, stroke: css(color), dash: [6, 4], width: 1, points: { show: false } });
  }
  card.dataset.points = String(pts.length);
  card.dataset.resolution = resolution;
  const width = Math.max(280, card.clientWidth - 16);
  const axis = { stroke: css('--muted'), grid: { stroke: css('--grid') }, ticks: { stroke: css('--grid') } };
  return new uPlot({
    width, height: 180, series: ss, bands, legend: { live: false },
    axes: [axis, { ...axis, size: 60 }],
    scales: { x: { time: true } },
  }, data, card);
}
