// One service (#/service/HOST/SERVICE): its state, output and long output, perfdata with units
// and thresholds, its graphs, its state history, its acknowledgement and downtime, and the
// actions. Host names never contain '/', so everything after the first '/' is the service.
import { all, api, canAct } from './api.js';
import * as live from './live.js';
import { acknowledge, downtime } from './actions.js';
import { graphs } from './graph.js';
import { eventTable } from './host.js';
import { flags } from './ops.js';
import { badge, duration, el, fill, hostLink, message, since, time } from './util.js';

/** A perfdata value with its unit, as the check reported it. */
function withUnit(v, unit) {
  if (v === null || v === undefined) return '';
  return String(v) + (unit ? ' ' + unit : '');
}

export function perfTable(metrics) {
  return el('table', { class: 'grid', id: 'perfdata' },
    el('thead', {}, el('tr', {}, ...['Metric', 'Labels', 'Value', 'Warning', 'Critical', 'Min', 'Max']
      .map((t) => el('th', { text: t })))),
    el('tbody', {}, ...metrics.map((m) => el('tr', {},
      el('td', { text: m.name }),
      el('td', { text: Object.entries(m.labels || {}).map(([k, v]) => k + '=' + v).join(', ') }),
      el('td', { class: 'num', text: withUnit(m.value, m.unit) }),
      el('td', { class: 'num', text: withUnit(m.warn, m.unit) }),
      el('td', { class: 'num', text: withUnit(m.crit, m.unit) }),
      el('td', { class: 'num', text: withUnit(m.min, m.unit) }),
      el('td', { class: 'num', text: withUnit(m.max, m.unit) })))));
}

export function mount(view, route) {
  const slash = route.arg.indexOf('/');
  const host = slash < 0 ? route.arg : route.arg.slice(0, slash);
  const name = slash < 0 ? '' : route.arg.slice(slash + 1);
  const head = el('section', { class: 'host-head', id: 'service-head' });
  const outBox = el('section', { id: 'service-output' });
  const perfBox = el('section', {});
  const handling = el('section', { id: 'service-handling' });
  const graphBox = el('section', { class: 'graphs', id: 'graphs' });
  const evBox = el('section', {});
  fill(view, el('h1', {}, 'Service ', el('span', { text: name }), ' on ', hostLink(host)),
    head, outBox, handling, perfBox, graphBox, evBox);
  let row = null;
  let stopGraphs = null;

  async function load() {
    let h;
    try {
      h = await api('/api/v1/hosts/' + encodeURIComponent(host) + '?limit=10000');
    } catch (e) {
      fill(head, message(e.status === 404 ? 'No host "' + host + '"' : 'Could not load: ' + e.message, 'error'));
      return;
    }
    row = (h.services || []).find((s) => s.service === name);
    if (!row) {
      fill(head, message('No service "' + name + '" on ' + host, 'error'));
      return;
    }
    const [acks, downtimes] = await Promise.all([
      all('/api/v1/acks').catch(() => []),
      api('/api/v1/downtimes?limit=10000').catch(() => []),
    ]);
    draw(acks.find((a) => a.host === host && a.service === name), downtimes.filter((d) =>
      (d.host === host || (d.group && (h.groups || []).includes(d.group))) && (!d.service || d.service === name)));
    if (!stopGraphs) stopGraphs = graphs(graphBox, host, () => [row], (s) => s.service === name);
    try {
      const events = await all('/api/v1/events?host=' + encodeURIComponent(host) + '&service=' + encodeURIComponent(name) + '&since=-7d');
      events.reverse();
      fill(evBox, el('h2', { text: 'State history (7 days)' }),
        events.length ? eventTable(events.slice(0, 500), true) : message('No state change in 7 days.'));
    } catch (e) {
      fill(evBox, message('Could not load events: ' + e.message, 'error'));
    }
  }

  function draw(ack, downtimes) {
    const r = row;
    const dl = el('dl', { class: 'facts' });
    const fact = (k, v) => dl.append(el('dt', { text: k }), el('dd', {}, v));
    fact('State', el('span', {}, badge(r.status), ' ', r.state_type || ''));
    fact('Attempt', r.attempt + '/' + r.max_attempts);
    fact('Duration', el('span', { dataset: { since: r.last_change }, text: duration(since(r.last_change)) }));
    fact('Last change', time(r.last_change));
    fact('Last check', time(r.last_check));
    fact('Check', r.check || '');
    const marks = flags(r, ack);
    if (marks.length) fact('Flags', el('span', {}, ...marks));
    const act = canAct();
    fill(head, dl, act ? el('div', { class: 'ctl toolbar' },
      r.status !== 'OK' && !r.acknowledged ? el('button', { type: 'button', id: 'svc-ack', class: 'primary', text: 'Acknowledge',
        onclick: () => acknowledge([{ host, service: name }], load) }) : null,
      ack ? el('button', { type: 'button', id: 'svc-unack', class: 'danger', text: 'Remove acknowledgement',
        onclick: async () => {
          if (!confirm('Remove the acknowledgement by ' + ack.author + '?')) return;
          await api('/api/v1/acks/' + ack.id, { method: 'DELETE' });
          load();
        } }) : null,
      el('button', { type: 'button', id: 'svc-downtime', text: 'Schedule downtime',
        onclick: () => downtime({ host, service: name }, load) })) : null);
    fill(outBox, el('h2', { text: 'Status information' }),
      el('p', { class: 'output', id: 'svc-output', text: r.output || '' }),
      r.long_output ? el('pre', { class: 'long-output', id: 'svc-long-output', text: r.long_output }) : null);
    fill(handling, el('h2', { text: 'Acknowledgement and downtime' }),
      ack ? el('p', { id: 'svc-ack-info' }, 'Acknowledged by ', el('b', { text: ack.author }), ' at ' + time(ack.time) +
        (ack.sticky ? ' (sticky, until OK)' : ' (until the next state change)') +
        (ack.expires ? ', expires ' + time(ack.expires) : '') + ': ', el('i', { text: ack.comment || '' }))
        : el('p', { class: 'hint', text: 'Not acknowledged.' }),
      downtimes.length ? el('ul', { id: 'svc-downtimes' }, ...downtimes.map((d) => el('li', {
        text: (d.active ? 'Active: ' : 'Scheduled: ') + (d.weekly ? 'weekly ' + d.weekly : time(d.start) + ' – ' + time(d.end)) +
          ' by ' + (d.author || '?') + (d.comment ? ': ' + d.comment : '') })))
        : el('p', { class: 'hint', text: 'No downtime scheduled.' }));
    fill(perfBox, el('h2', { text: 'Performance data' }),
      (r.metrics || []).length ? perfTable(r.metrics) : message('This check reports no performance data.'));
  }

  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') return load();
    if (ev.type === 'service' && ev.data.host === host && ev.data.service === name) load();
  });
  const ticker = setInterval(() => {
    for (const e of head.querySelectorAll('[data-since]')) e.textContent = duration(since(Number(e.dataset.since)));
  }, 1000);
  load();
  return () => {
    unsubscribe();
    clearInterval(ticker);
    if (stopGraphs) stopGraphs();
  };
}
