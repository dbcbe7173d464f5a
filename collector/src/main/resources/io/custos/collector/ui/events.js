// Latest alerts (the event history, newest first, live) and the notification log.
import { api } from './api.js';
import * as live from './live.js';
import { eventTable } from './host.js';
import { badge, el, fill, hostLink, message, time } from './util.js';

const SHOW = 500;

export function mountAlerts(view, route) {
  const kind = route.params.get('kind') || '';
  const box = el('div', {});
  fill(view, el('h1', { text: 'Latest alerts' }),
    el('div', { class: 'tabs' }, ...[['', 'All events'], ['state', 'State changes'], ['alert', 'Alert engine']]
      .map(([k, t]) => el('a', { href: '#/alerts' + (k ? '?kind=' + k : ''), class: k === kind ? 'on' : '', text: t }))), box);
  let events = [];
  async function load() {
    try {
      const q = 'since=-7d' + (kind ? '&kind=' + kind : '');
      const { total } = await api('/api/v1/events?' + q + '&limit=1', { total: true });
      events = await api('/api/v1/events?' + q + '&limit=' + SHOW + '&offset=' + Math.max(0, total - SHOW));
      events.reverse();
      fill(box, eventTable(events));
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') return load();
    if (ev.type !== 'alert' || (kind && ev.data.kind !== kind)) return;
    events.unshift(ev.data);
    events = events.slice(0, SHOW);
    fill(box, eventTable(events));
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
