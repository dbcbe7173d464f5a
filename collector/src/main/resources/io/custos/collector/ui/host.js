// Hosts: the list, and one host's detail — services, state history, tags and groups, agent,
// last report, and performance graphs.
import { api, canAct } from './api.js';
import * as live from './live.js';
import { downtime } from './actions.js';
import { graphs } from './graph.js';
import { serviceRow, serviceTable } from './services.js';
import { badge, duration, el, fill, hostLink, key, message, num, since, time } from './util.js';

export function mountList(view) {
  const box = el('div', {});
  fill(view, el('h1', { text: 'Hosts' }), box);
  async function load() {
    try {
      const hosts = await api('/api/v1/hosts?limit=10000');
      const rank = { DOWN: 0, UNREACHABLE: 1, UP: 2 };
      hosts.sort((a, b) => (a.state === b.state ? (a.host < b.host ? -1 : 1) : (rank[a.state] ?? 3) - (rank[b.state] ?? 3)));
      fill(box, el('table', { class: 'grid', id: 'hosts' },
        el('thead', {}, el('tr', {}, ...['Host', 'State', 'Duration', 'Last Report', 'Services', 'Problems', 'Groups', 'Agent']
          .map((t) => el('th', { text: t })))),
        el('tbody', {}, ...hosts.map((h) => el('tr', { class: 'row-' + h.state },
          el('td', {}, hostLink(h.host)), el('td', {}, badge(h.state)),
          el('td', { text: duration(since(h.since)) }), el('td', { text: time(h.last_report) }),
          el('td', { text: num(h.services) }), el('td', { text: num(h.problems) }),
          el('td', { text: (h.groups || []).join(', ') }), el('td', { text: h.agent }))))));
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync' || ev.type === 'host' || ev.type === 'removed') load();
  });
  load();
  return unsubscribe;
}

export function mount(view, route) {
  const name = route.arg;
  const head = el('section', { class: 'host-head' });
  const svcBox = el('section', {});
  const evBox = el('section', {});
  const graphBox = el('section', { class: 'graphs', id: 'graphs' });
  fill(view, el('h1', {}, 'Host ', el('span', { text: name })), head, svcBox, graphBox, evBox);
  let services = [];
  let stopGraphs = () => {};

  async function load() {
    try {
      const h = await api('/api/v1/hosts/' + encodeURIComponent(name) + '?limit=10000');
      services = h.services;
      const dl = el('dl', { class: 'facts' });
      const fact = (k, v) => dl.append(el('dt', { text: k }), el('dd', {}, v));
      fact('State', badge(h.state));
      fact('Since', time(h.since) + ' (' + duration(since(h.since)) + ')');
      fact('Last report', time(h.last_report));
      fact('Agent', h.agent || '');
      fact('Interval', h.interval_s + ' s');
      fact('Tags', (h.tags || []).join(', ') || '—');
      fact('Groups', el('span', {}, ...(h.groups || []).flatMap((g, i) => [i ? ', ' : '',
        el('a', { href: '#/services?group=' + encodeURIComponent(g), text: g })])));
      fact('Metric series', num(h.series));
      fill(head, dl, canAct() ? el('div', { class: 'ctl toolbar' },
        el('button', { type: 'button', id: 'host-downtime', text: 'Schedule downtime for this host',
          onclick: () => downtime({ host: name }, load) })) : null);
      fill(svcBox, el('h2', { text: 'Services' }), serviceTable(h.services, { noHost: true, id: 'host-services' }));
    } catch (e) {
      fill(head, message(e.status === 404 ? 'No host "' + name + '"' : 'Could not load: ' + e.message, 'error'));
      return;
    }
    try {
      const events = await api('/api/v1/events?host=' + encodeURIComponent(name) + '&since=-7d&limit=10000');
      events.reverse();
      fill(evBox, el('h2', { text: 'State history (7 days)' }), eventTable(events.slice(0, 200), true));
    } catch (e) {
      fill(evBox, message('Could not load events: ' + e.message, 'error'));
    }
  }

  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') return load();
    if (ev.type === 'service' && ev.data.host === name) {
      const tr = svcBox.querySelector('tr[data-key="' + CSS.escape(key(ev.data.host, ev.data.service)) + '"]');
      if (tr) tr.replaceWith(serviceRow(ev.data, { noHost: true }));
    }
  });
  load().then(() => {
    stopGraphs = graphs(graphBox, name, () => services);
  });
  return () => {
    unsubscribe();
    stopGraphs();
  };
}

/** The event history table, newest first. */
export function eventTable(events, noHost) {
  return el('table', { class: 'grid', id: 'events' },
    el('thead', {}, el('tr', {}, el('th', { text: 'Time' }), noHost ? null : el('th', { text: 'Host' }),
      ...['Service', 'Kind', 'State', 'Information'].map((t) => el('th', { text: t })))),
    el('tbody', {}, ...events.map((e) => el('tr', {},
      el('td', { class: 'when', text: time(e.time) }),
      noHost ? null : el('td', {}, hostLink(e.host)),
      el('td', { text: e.service || '' }), el('td', { text: e.kind }),
      el('td', {}, e.old_status ? badge(e.old_status, 'small') : null, e.old_status ? ' → ' : null, badge(e.new_status || e.status)),
      el('td', { class: 'out', text: e.output || '' })))));
}
