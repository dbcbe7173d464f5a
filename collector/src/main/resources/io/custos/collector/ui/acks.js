// Acknowledgements: every acknowledgement in force — who, why, since when, sticky or not (and
// when it expires, where the collector keeps an expiry) — with a link to the service and, for an
// operator, Remove (asks first).
import { all, api, canAct } from './api.js';
import * as live from './live.js';
import { el, fill, hostLink, message, time } from './util.js';

export function mount(view) {
  const box = el('div', {});
  const err = el('p', { class: 'msg error' });
  fill(view, el('h1', { text: 'Acknowledgements' }),
    el('p', { class: 'hint', text: 'Problems someone has taken on. An acknowledgement ends when the service recovers (sticky) or changes state (not sticky).' }),
    err, box);

  async function load() {
    try {
      const rows = await all('/api/v1/acks');
      live.touched();
      fill(box, rows.length ? el('table', { class: 'grid', id: 'acks' },
        el('thead', {}, el('tr', {}, ...['Host', 'Service', 'Author', 'Comment', 'Since', 'Until']
          .map((t) => el('th', { text: t })), el('th', { class: 'ctl' }))),
        el('tbody', {}, ...rows.map((a) => el('tr', { dataset: { id: a.id } },
          el('td', {}, hostLink(a.host)),
          el('td', {}, el('a', { href: '#/service/' + encodeURIComponent(a.host) + '/' + encodeURIComponent(a.service), text: a.service })),
          el('td', { class: 'author', text: a.author || '' }),
          el('td', { class: 'out', text: a.comment || '' }),
          el('td', { class: 'when', text: time(a.time) }),
          el('td', { text: a.expires ? time(a.expires) : a.sticky ? 'the service is OK' : 'the next state change' }),
          el('td', { class: 'ctl' }, canAct() ? el('button', { type: 'button', class: 'danger unack', text: 'Remove',
            onclick: async () => {
              if (!confirm('Remove the acknowledgement of ' + a.host + ' / ' + a.service + ' by ' + a.author + '?')) return;
              err.textContent = '';
              try {
                await api('/api/v1/acks/' + a.id, { method: 'DELETE' });
              } catch (x) {
                err.textContent = x.message;
              }
              load();
            } }) : null)))))
        : message('Nothing is acknowledged.'));
    } catch (e) {
      fill(box, message(e.status === 404 ? 'This collector has no acknowledgement list.' : 'Could not load: ' + e.message, 'error'));
    }
  }
  // An acknowledgement shows on its service's row: reload when one changes (at most every 2 s).
  let timer = null;
  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') return load();
    if (ev.type !== 'service' || timer) return;
    timer = setTimeout(() => { timer = null; load(); }, 2000);
  });
  load();
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
