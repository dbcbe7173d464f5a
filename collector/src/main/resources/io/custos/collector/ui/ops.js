// The operations screen: big state counts and the problem list, unhandled first, kept current
// from the live stream. Made to be read from across the room.
import { api, canAct, ApiError } from './api.js';
import * as live from './live.js';
import { acknowledge, downtime } from './actions.js';
import { alarm } from './alarm.js';
import { badge, duration, el, fill, hostLink, key, num, problemOrder, since, unhandled } from './util.js';

const MAX_ROWS = 300;

export function mount(view) {
  const problems = new Map();
  const selected = new Set();
  let summary = null;
  let hostsDown = new Set();
  let first = true;
  let loaded = false;
  let pending = false;
  let summaryTimer = null;

  const counts = el('section', { class: 'counts', id: 'counts' });
  const toolbar = el('div', { class: 'toolbar ctl' });
  const unhandledBox = el('section', { class: 'problems', id: 'unhandled' });
  const handledBox = el('section', { class: 'problems handled', id: 'handled' });
  fill(view, counts, toolbar, unhandledBox, handledBox);

  let noSummaryRoute = false;

  async function loadSummary(rows) {
    if (!noSummaryRoute) {
      try {
        summary = await api('/api/v1/summary');
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 404) throw e;
        noSummaryRoute = true;
      }
    }
    summary = await fallbackSummary(rows || [...problems.values()]);
  }

  // Events that arrive while a list is being read are newer than it: applied again on top.
  let reading = 0;
  let during = [];

  async function load() {
    reading++;
    let rows;
    try {
      rows = await api('/api/v1/services?status=problems&limit=10000');
    } finally {
      reading--;
    }
    problems.clear();
    for (const r of rows) problems.set(key(r.host, r.service), r);
    for (const ev of during) apply(ev, false);
    if (!reading) during = [];
    if (!loaded) performance.mark('custos-ops-data');
    loaded = true;
    if (noSummaryRoute) await loadSummary(rows);
    schedule();
  }

  async function loadAll() {
    await Promise.all([load(), loadSummary().then(schedule)]);
  }

  // Counts come from the server; after live events they are re-read at most once a second.
  function refreshSummary() {
    if (summaryTimer) return;
    summaryTimer = setTimeout(async () => {
      summaryTimer = null;
      try {
        await loadSummary();
        schedule();
      } catch (e) {
        console.warn('summary', e);
      }
    }, 700);
  }

  function onEvent(ev) {
    if (ev.type === 'resync') {
      loadAll().catch((e) => console.warn('resync', e));
      return;
    }
    if (reading) during.push(ev);
    apply(ev, true);
  }

  // Moves one service between the counts at once; the server's summary, re-read shortly after,
  // stays the reference. Host Alive rows are counted as hosts, not here.
  function recount(before, after) {
    if (!summary || !summary.services || after.host_alive) return;
    const st = (x) => (x ? x.status.toLowerCase() : 'ok');
    const u = summary.unhandled || (summary.unhandled = {});
    for (const [row, d] of [[before, -1], [after.status === 'OK' ? null : after, 1]]) {
      summary.services[st(row)] = Math.max(0, (summary.services[st(row)] || 0) + d);
      if (!row) continue;
      if (unhandled(row)) u[st(row)] = Math.max(0, (u[st(row)] || 0) + d);
      else summary.handled = Math.max(0, (summary.handled || 0) + d);
    }
  }

  function apply(ev, live) {
    if (ev.type === 'service') {
      const s = ev.data;
      const k = key(s.host, s.service);
      const before = problems.get(k);
      if (live) recount(before, s);
      if (s.status === 'OK') {
        problems.delete(k);
      } else {
        problems.set(k, s);
        if (live && s.status === 'CRITICAL' && unhandled(s) && !(before && before.status === 'CRITICAL' && unhandled(before))) {
          alarm();
        }
      }
      refreshSummary();
      schedule();
    } else if (ev.type === 'removed') {
      for (const k of [...problems.keys()]) {
        const p = problems.get(k);
        if (p.host === ev.data.host && (!ev.data.service || p.service === ev.data.service)) problems.delete(k);
      }
      refreshSummary();
      schedule();
    } else if (ev.type === 'host') {
      if (ev.data.state === 'DOWN') hostsDown.add(ev.data.host);
      else hostsDown.delete(ev.data.host);
      refreshSummary();
      schedule();
    }
  }

  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  }

  function render() {
    renderCounts();
    const list = [...problems.values()].map((p) => (hostsDown.has(p.host) ? { ...p, host_down: true } : p));
    const open = list.filter(unhandled).sort(problemOrder);
    const handled = list.filter((p) => !unhandled(p)).sort(problemOrder);
    fill(unhandledBox,
      el('h2', {}, 'Unhandled problems ', el('span', { class: 'n', text: num(open.length) })),
      open.length ? table(open, true) : el('p', { class: 'all-ok', text: 'No unhandled problems' }));
    fill(handledBox,
      el('h2', {}, 'Handled ', el('span', { class: 'n', text: num(handled.length) }),
        el('small', { text: ' acknowledged, in downtime, or host down' })),
      handled.length ? table(handled, false) : null);
    renderToolbar();
    if (first && loaded && summary) {
      first = false;
      performance.measure('custos-ops-render', 'custos-ops-data');
      performance.mark('custos-ops-rendered');
      document.body.dataset.opsRendered = '1';
    }
  }

  function renderCounts() {
    const s = summary || { hosts: {}, services: {}, unhandled: {} };
    const u = s.unhandled || {};
    const unhandledTotal = (u.warning || 0) + (u.critical || 0) + (u.unknown || 0);
    const box = (label, n, cls, id) => el('div', { class: 'count ' + cls + (n ? '' : ' zero'), id },
      el('span', { class: 'value', text: num(n) }), el('span', { class: 'label', text: label }));
    fill(counts,
      el('div', { class: 'group' }, el('h3', { text: 'Hosts' }),
        box('UP', s.hosts.up, 'st-UP', 'count-up'),
        box('DOWN', (s.hosts.down || 0) + (s.hosts.unreachable || 0), 'st-DOWN', 'count-down')),
      el('div', { class: 'group' }, el('h3', { text: 'Services' }),
        box('OK', s.services.ok, 'st-OK', 'count-ok'),
        box('WARNING', s.services.warning, 'st-WARNING', 'count-warning'),
        box('CRITICAL', s.services.critical, 'st-CRITICAL', 'count-critical'),
        box('UNKNOWN', s.services.unknown, 'st-UNKNOWN', 'count-unknown')),
      el('div', { class: 'group' }, el('h3', { text: 'Problems' }),
        box('Unhandled', unhandledTotal, unhandledTotal ? 'st-CRITICAL' : 'st-OK', 'count-unhandled'),
        box('Handled', s.handled, 'st-handled', 'count-handled')));
  }

  function renderToolbar() {
    if (!canAct()) {
      fill(toolbar);
      return;
    }
    const targets = [...selected].map((k) => problems.get(k)).filter(Boolean);
    fill(toolbar,
      el('button', {
        type: 'button', id: 'mass-ack', class: 'primary', disabled: targets.length === 0,
        text: 'Acknowledge selected (' + targets.length + ')',
        onclick: () => acknowledge(targets.map((t) => ({ host: t.host, service: t.service })), () => {
          selected.clear();
          load();
        }),
      }));
  }

  function table(rows, open) {
    const act = canAct();
    const body = el('tbody');
    for (const r of rows.slice(0, MAX_ROWS)) {
      const k = key(r.host, r.service);
      const flags = [];
      if (r.acknowledged) flags.push(el('span', { class: 'flag', text: 'ACK', title: 'acknowledged' }));
      if (r.in_downtime) flags.push(el('span', { class: 'flag', text: 'DOWNTIME' }));
      if (r.stale || r.host_down) flags.push(el('span', { class: 'flag', text: 'HOST DOWN' }));
      if (r.flapping) flags.push(el('span', { class: 'flag', text: 'FLAPPING' }));
      body.append(el('tr', { class: 'row-' + r.status, dataset: { key: k } },
        act ? el('td', { class: 'ctl sel' }, el('input', {
          type: 'checkbox', 'aria-label': 'select', checked: selected.has(k),
          onchange: (e) => {
            if (e.target.checked) selected.add(k);
            else selected.delete(k);
            renderToolbar();
          },
        })) : null,
        el('td', {}, badge(r.status)),
        el('td', { class: 'host' }, hostLink(r.host)),
        el('td', { class: 'svc', text: r.service }),
        el('td', { class: 'dur', dataset: { since: r.last_change }, text: duration(since(r.last_change)) }),
        el('td', { class: 'out' }, ...flags, r.output || ''),
        act && open ? el('td', { class: 'ctl acts' },
          el('button', { type: 'button', class: 'ack', text: 'Ack',
            onclick: () => acknowledge([{ host: r.host, service: r.service }], load) }),
          el('button', { type: 'button', class: 'dt', text: 'Downtime',
            onclick: () => downtime({ host: r.host, service: r.service }, load) })) : null));
    }
    const more = rows.length > MAX_ROWS
      ? el('p', { class: 'more' }, el('a', { href: '#/services?status=problems', text: '… and ' + num(rows.length - MAX_ROWS) + ' more' }))
      : null;
    return el('div', {}, el('table', { class: 'grid big' },
      el('thead', {}, el('tr', {}, act ? el('th', { class: 'ctl' }) : null, el('th', { text: 'Status' }),
        el('th', { text: 'Host' }), el('th', { text: 'Service' }), el('th', { text: 'Duration' }),
        el('th', { text: 'Status Information' }), act && open ? el('th', { class: 'ctl' }) : null)),
      body), more);
  }

  const unsubscribe = live.subscribe(onEvent);
  const ticker = setInterval(() => {
    for (const td of view.querySelectorAll('td[data-since]')) td.textContent = duration(since(Number(td.dataset.since)));
  }, 1000);
  loadAll().catch((e) => fill(unhandledBox, el('p', { class: 'msg error', text: 'Could not load: ' + e.message })));
  return () => {
    unsubscribe();
    clearInterval(ticker);
    if (summaryTimer) clearTimeout(summaryTimer);
  };
}

/**
 * Counts for a collector without /api/v1/summary: the problem rows already read, and the host
 * list (each host's number of services; its Host Alive row is one more).
 */
async function fallbackSummary(problems) {
  const hosts = await api('/api/v1/hosts?limit=10000');
  const services = { ok: 0, warning: 0, critical: 0, unknown: 0 };
  const u = { warning: 0, critical: 0, unknown: 0 };
  let handled = 0;
  for (const p of problems) {
    services[p.status.toLowerCase()]++;
    if (unhandled(p)) u[p.status.toLowerCase()]++;
    else handled++;
  }
  const total = hosts.reduce((n, h) => n + h.services + 1, 0);
  services.ok = total - services.warning - services.critical - services.unknown;
  const down = hosts.filter((h) => h.state !== 'UP').length;
  return { hosts: { up: hosts.length - down, down, unreachable: 0 }, services, unhandled: u, handled };
}
