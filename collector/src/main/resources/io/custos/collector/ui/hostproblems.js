// Host problems: the hosts that are not UP — DOWN (silent) or UNREACHABLE (silent behind a DOWN
// parent) — as hosts, with since when, their last report, their parents and what they cut off.
// Network outages: the DOWN hosts that make others UNREACHABLE, and those hosts.
import { all, canAct } from './api.js';
import * as live from './live.js';
import { acknowledge, downtime } from './actions.js';
import { badge, duration, el, fill, hostLink, message, num, since, time } from './util.js';

const links = (names) => el('span', {}, ...(names || []).flatMap((n, i) => [i ? ', ' : '', hostLink(n)]));

function hostsPage(view, title, hint, draw) {
  const box = el('div', {});
  fill(view, el('h1', { text: title }), el('p', { class: 'hint', text: hint }), box);
  const hosts = new Map();
  let frame = false;
  async function load() {
    try {
      const rows = await all('/api/v1/hosts');
      hosts.clear();
      for (const h of rows) hosts.set(h.host, h);
      live.touched();
      fill(box, draw([...hosts.values()], load));
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  // Host events carry the whole host row: the page follows them without reading the list again.
  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') return load();
    if (ev.type === 'host') hosts.set(ev.data.host, ev.data);
    else if (ev.type === 'removed' && !ev.data.service) hosts.delete(ev.data.host);
    else return;
    if (frame) return;
    frame = true;
    requestAnimationFrame(() => {
      frame = false;
      fill(box, draw([...hosts.values()], load));
    });
  });
  const ticker = setInterval(() => {
    for (const td of view.querySelectorAll('td[data-since]')) td.textContent = duration(since(Number(td.dataset.since)));
  }, 1000);
  load();
  return () => {
    unsubscribe();
    clearInterval(ticker);
  };
}

export function mountHostProblems(view) {
  return hostsPage(view, 'Host problems',
    'Hosts whose agent has gone silent: DOWN, or UNREACHABLE when every parent (hosts: parents: in collector.yml) is down too.',
    (hosts, reload) => {
      const rows = hosts.filter((h) => h.state !== 'UP')
        .sort((a, b) => ((a.state === 'DOWN') === (b.state === 'DOWN') ? a.since - b.since : a.state === 'DOWN' ? -1 : 1));
      if (!rows.length) return el('p', { class: 'all-ok', id: 'no-host-problems', text: 'Every host is UP' });
      const act = canAct();
      return el('table', { class: 'grid big', id: 'host-problems' },
        el('thead', {}, el('tr', {}, ...['Host', 'State', 'Duration', 'Last report', 'Parents', 'Cause / Cuts off', 'Services']
          .map((t) => el('th', { text: t })), act ? el('th', { class: 'ctl' }) : null)),
        el('tbody', {}, ...rows.map((h) => el('tr', { class: 'row-' + h.state, dataset: { host: h.host } },
          el('td', { class: 'host' }, hostLink(h.host)),
          el('td', {}, badge(h.state)),
          el('td', { class: 'dur', dataset: { since: h.since }, text: duration(since(h.since)) }),
          el('td', { class: 'when', text: time(h.last_report) }),
          el('td', {}, (h.parents || []).length ? links(h.parents) : '—'),
          el('td', {}, (h.root_causes || []).length ? el('span', {}, 'behind ', links(h.root_causes))
            : (h.blocking || []).length ? el('span', {}, 'cuts off ' + num(h.blocking.length) + ': ', links(h.blocking)) : ''),
          el('td', { class: 'num', text: num(h.services) }),
          act ? el('td', { class: 'ctl acts' },
            el('button', { type: 'button', class: 'ack', text: 'Ack',
              onclick: () => acknowledge([{ host: h.host, service: 'Host Alive' }], reload) }),
            el('button', { type: 'button', class: 'dt', text: 'Downtime',
              onclick: () => downtime({ host: h.host }, reload) })) : null))));
    });
}

export function mountOutages(view) {
  return hostsPage(view, 'Network outages',
    'A DOWN host that others can only be reached through: the root cause, and the hosts it makes UNREACHABLE. Parents come from hosts: parents: in collector.yml.',
    (hosts) => {
      const roots = hosts.filter((h) => h.state === 'DOWN' && (h.blocking || []).length)
        .sort((a, b) => b.blocking.length - a.blocking.length || (a.host < b.host ? -1 : 1));
      const parentsKnown = hosts.some((h) => 'parents' in h);
      if (!roots.length) {
        return el('p', { class: 'all-ok', id: 'no-outages',
          text: parentsKnown ? 'No network outage' : 'No network outage (this collector reports no host parents)' });
      }
      return el('table', { class: 'grid big', id: 'outages' },
        el('thead', {}, el('tr', {}, ...['Root cause', 'State', 'Duration', 'Hosts affected', 'UNREACHABLE hosts']
          .map((t) => el('th', { text: t })))),
        el('tbody', {}, ...roots.map((h) => el('tr', { class: 'row-DOWN', dataset: { host: h.host } },
          el('td', { class: 'host' }, hostLink(h.host)),
          el('td', {}, badge('DOWN')),
          el('td', { class: 'dur', dataset: { since: h.since }, text: duration(since(h.since)) }),
          el('td', { class: 'num affected', text: num(h.blocking.length) }),
          el('td', { class: 'out' }, links(h.blocking))))));
    });
}
