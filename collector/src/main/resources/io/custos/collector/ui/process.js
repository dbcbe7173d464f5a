// Monitoring process: the collector's own health on one page — store write health, queue depth,
// ingest rate, notifier results, archive volume, version and uptime. Read from /healthz, /metrics
// (Prometheus text), /api/v1/notifications and /api/v1/backups every 5 s; rates are the change
// between two readings.
import { all, api } from './api.js';
import * as live from './live.js';
import { bytes, duration, el, fill, message, num, time } from './util.js';

const EVERY_MS = 5000;

/** Prometheus text exposition into [{name, labels, value}] (comments and blank lines skipped). */
export function parseProm(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    if (m[3]) for (const l of m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

function pick(samples, name, labels) {
  const s = samples.find((x) => x.name === name && Object.entries(labels || {}).every(([k, v]) => x.labels[k] === v));
  return s ? s.value : undefined;
}

export function mount(view) {
  const box = el('div', { class: 'process' });
  fill(view, el('h1', { text: 'Monitoring process' }),
    el('p', { class: 'hint', text: 'The collector itself. Refreshed every ' + EVERY_MS / 1000 + ' s.' }), box);
  let before = null;
  let stopped = false;

  async function read() {
    const health = await fetch('/healthz', { cache: 'no-store' }).then(async (r) => ({ ok: r.ok, body: await r.json().catch(() => ({})) }),
      (e) => ({ ok: false, body: { error: e.message } }));
    const metrics = await fetch('/metrics', { credentials: 'same-origin', cache: 'no-store' }).then((r) => {
      if (!r.ok) throw new Error('/metrics: HTTP ' + r.status);
      return r.text();
    });
    const [notes, backups, summary] = await Promise.all([
      api('/api/v1/notifications?limit=500').catch(() => null),
      all('/api/v1/backups').catch(() => null),
      api('/api/v1/summary').catch(() => null),
    ]);
    return { at: Date.now(), health, samples: parseProm(metrics), notes, backups, summary };
  }

  function draw(now) {
    const s = now.samples;
    const stored = pick(s, 'custos_ingest_reports_total', { result: 'stored' }) || 0;
    const dup = pick(s, 'custos_ingest_reports_total', { result: 'duplicate' }) || 0;
    const samples = pick(s, 'custos_ingest_samples_total') || 0;
    const durSum = pick(s, 'custos_ingest_duration_seconds_sum');
    const durCount = pick(s, 'custos_ingest_duration_seconds_count');
    const started = pick(s, 'custos_collector_start_time_seconds');
    const info = s.find((x) => x.name === 'custos_collector_info');
    let rate = 'measuring…';
    let sampleRate = '';
    if (before) {
      const dt = (now.at - before.at) / 1000;
      const was = before.samples;
      rate = ((stored - (pick(was, 'custos_ingest_reports_total', { result: 'stored' }) || 0)) / dt).toFixed(1) + ' reports/s';
      sampleRate = ((samples - (pick(was, 'custos_ingest_samples_total') || 0)) / dt).toFixed(0) + ' samples/s';
    }
    const card = (title, id, ok, ...rows) => el('section', { class: 'card ' + (ok === false ? 'bad' : ok === true ? 'good' : ''), id },
      el('h2', {}, ok === false ? el('span', { class: 'shape', text: '✖ ' }) : ok === true ? el('span', { class: 'shape', text: '✓ ' }) : null, title),
      el('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v === undefined ? '—' : v)])));
    const h = now.health;
    const notes = now.notes || [];
    const byResult = {};
    for (const n of notes) byResult[n.result || '?'] = (byResult[n.result || '?'] || 0) + 1;
    const lastFail = notes.filter((n) => n.result === 'failed').sort((a, b) => b.time - a.time)[0];
    const runs = now.backups || [];
    const archived = runs.filter((b) => b.result === 'OK');
    const hosts = now.summary ? now.summary.hosts : null;
    fill(box,
      card('Store', 'proc-store', h.ok,
        ['Write health', h.ok ? 'writing' : (h.body.store || 'unavailable') + (h.body.failures ? ', ' + h.body.failures + ' failures' : '')],
        ['Failing since', h.body.failing_since ? time(h.body.failing_since) : undefined],
        ['Last error', h.body.error],
        ['Size on disk', bytes(pick(s, 'custos_store_size_bytes'))]),
      card('Ingest', 'proc-ingest', undefined,
        ['Rate', rate + (sampleRate ? ', ' + sampleRate : '')],
        ['Reports stored', num(stored)], ['Duplicates ignored', num(dup)], ['Samples stored', num(samples)],
        ['Mean store time', durCount ? (1000 * durSum / durCount).toFixed(1) + ' ms' : undefined],
        ['Hosts', hosts ? num(hosts.up) + ' UP, ' + num(hosts.down) + ' DOWN' + (hosts.unreachable ? ', ' + num(hosts.unreachable) + ' UNREACHABLE' : '') : undefined]),
      card('Queues', 'proc-queues', undefined,
        ['HTTP requests waiting', num(pick(s, 'custos_http_queue_depth'))],
        ['HTTP workers busy', num(pick(s, 'custos_http_workers_busy'))],
        ['Live streams', live.lastUpdate() ? 'this screen is live' : undefined]),
      card('Notifier', 'proc-notifier', lastFail ? false : undefined,
        ['Last ' + num(notes.length) + ' notifications', Object.keys(byResult).length
          ? Object.entries(byResult).map(([k, v]) => num(v) + ' ' + k).join(', ') : 'none sent yet'],
        ['Last failure', lastFail ? time(lastFail.time) + ' ' + (lastFail.channel || '') + ': ' + (lastFail.reason || '') : 'none']),
      card('Archives', 'proc-archives', undefined,
        ['Backup runs reported', num(runs.length)],
        ['Archived volume', bytes(archived.reduce((n, b) => n + (b.bytes || 0), 0))],
        ['Failed runs', num(runs.length - archived.length)]),
      card('Process', 'proc-process', undefined,
        ['Version', info ? info.labels.version : undefined],
        ['Started', started ? time(started * 1000) : undefined],
        ['Uptime', started ? duration(now.at / 1000 - started) : undefined]));
  }

  async function tick() {
    try {
      const now = await read();
      if (stopped) return;
      draw(now);
      before = now;
      live.touched();
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  tick();
  const timer = setInterval(tick, EVERY_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
