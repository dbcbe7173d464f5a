// Latest alerts (the event history, newest first, live) and the notification log.
import { api } from './api.js';
import * as live from './live.js';
import { eventTable } from './host.js';
import { badge, el, fill, hostLink, message, time } from './util.js';

const SHOW = 500;

/**
 * Latest alerts: state changes apart from the alert engine's notes (tabs), filtered by host (a
 * part of its name) and by state, over the newest SHOW events of 7 days; live.
 */
export function mountAlerts(view, route) {
  const p = route.params;
  const kind = p.has('kind') ? p.get('kind') : 'state';
  const hostQ = (p.get('host') || '').toLowerCase();
  const state = p.get('state') || '';
  const box = el('div', {});
  const link = (k, h, st) => {
    const q = new URLSearchParams();
    q.set('kind', k);
    if (h) q.set('host', h);
    if (st) q.set('state', st);
    return '#/alerts?' + q;
  };
  const form = el('form', { class: 'filters', id: 'alert-filter' },
    el('input', { name: 'host', id: 'alert-host', placeholder: 'Host (part of the name)', value: p.get('host') || '' }),
    el('select', { name: 'state', id: 'alert-state' }, ...['', 'CRITICAL', 'WARNING', 'UNKNOWN', 'OK']
      .map((st) => el('option', { value: st, text: st || 'any state', selected: st === state }))),
    el('button', { type: 'submit', text: 'Filter' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(form);
    location.hash = link(kind, f.get('host'), f.get('state'));
  });
  fill(view, el('h1', { text: 'Latest alerts' }),
    el('div', { class: 'tabs' }, ...[['state', 'State changes'], ['alert', 'Engine notes'], ['', 'All events']]
      .map(([k, t]) => el('a', { href: link(k, p.get('host'), state), class: k === kind ? 'on' : '', dataset: { kind: k || 'all' }, text: t }))),
    form, box);
  let events = [];
  const keep = (e) => (!hostQ || (e.host || '').toLowerCase().includes(hostQ)) &&
    (!state || (e.new_status || e.status) === state);
  function draw() {
    const shown = events.filter(keep);
    fill(box, shown.length ? eventTable(shown)
      : el('p', { class: 'msg empty-filter', id: 'no-match', text: events.length
        ? 'No event of the last ' + SHOW + ' matches' + (hostQ ? ' host containing "' + hostQ + '"' : '') + (state ? ' state ' + state : '') + '.'
        : 'No events in the last 7 days.' }));
  }
  async function load() {
    try {
      const q = 'since=-7d' + (kind ? '&kind=' + kind : '');
      const { total } = await api('/api/v1/events?' + q + '&limit=1', { total: true });
      events = await api('/api/v1/events?' + q + '&limit=' + SHOW + '&offset=' + Math.max(0, total - SHOW));
      events.reverse();
      draw();
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') return load();
    if (ev.type !== 'alert' || (kind && ev.data.kind !== kind)) return;
    events.unshift(ev.data);
    events = events.slice(0, SHOW);
    draw();
  });
  load();
  return unsubscribe;
}

export function mountNotifications(view) {
  const box = el('div', {});
  fill(view, el('h1', { text: 'Notifications' }),
    el('p', { class: 'hint', text: 'Every notification the alert engine sent, failed to send, or suppressed, and why.' }), box);
  async function load() {
    try {
      const rows = await api('/api/v1/notifications?limit=500');
      fill(box, el('table', { class: 'grid', id: 'notifications' },
        el('thead', {}, el('tr', {}, ...['Time', 'Host', 'Service', 'State', 'Result', 'Channel', 'Recipient', 'Reason']
          .map((t) => el('th', { text: t })))),
        el('tbody', {}, ...rows.map((n) => el('tr', { class: 'n-' + (n.result || '') },
          el('td', { class: 'when', text: time(n.time) }), el('td', {}, hostLink(n.host)),
          el('td', { text: n.service || '' }), el('td', {}, n.status ? badge(n.status) : null),
          el('td', {}, el('span', { class: 'result r-' + (n.result || ''), text: n.result || '' })),
          el('td', { text: n.channel || '' }), el('td', { text: n.recipient || '' }),
          el('td', { class: 'out', text: n.reason || n.output || '' }))))));
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync' || ev.type === 'alert') load();
  });
  load();
  return unsubscribe;
}
