// Scheduled and recurring downtime: the list (delete from here) and a form for a host, a
// service or a group.
import { api, canAct } from './api.js';
import { downtimeBody, downtimeFields } from './actions.js';
import { el, fill, message, time } from './util.js';

export function mount(view, route) {
  const p = route.params;
  const list = el('div', {});
  const err = el('p', { class: 'msg error' });
  const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const form = el('form', { class: 'dlg-form inline ctl', id: 'downtime-form' },
    el('h2', { text: 'Schedule downtime' }),
    el('label', {}, 'Host', el('input', { name: 'host', value: p.get('host') || '', id: 'dt-host' })),
    el('label', {}, 'Service (empty: the host and all its services)', el('input', { name: 'service', value: p.get('service') || '', id: 'dt-service' })),
    el('label', {}, 'or Host group', el('input', { name: 'group', value: p.get('group') || '', id: 'dt-group' })),
    ...downtimeFields(now), err,
    el('button', { type: 'submit', class: 'primary', text: 'Schedule', id: 'dt-submit' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    const f = new FormData(form);
    const target = { host: f.get('host'), service: f.get('service'), group: f.get('group') };
    try {
      await api('/api/v1/downtimes', { method: 'POST', body: downtimeBody(target, f) });
      form.reset();
      load();
    } catch (x) {
      err.textContent = x.message;
    }
  });
  fill(view, el('h1', { text: 'Scheduled downtime' }), list, canAct() ? form : null);

  async function load() {
    try {
      const rows = await api('/api/v1/downtimes?limit=10000');
      fill(list, rows.length ? el('table', { class: 'grid', id: 'downtimes' },
        el('thead', {}, el('tr', {}, ...['Id', 'Host / Group', 'Service', 'When', 'Active', 'Author', 'Comment']
          .map((t) => el('th', { text: t })), el('th', { class: 'ctl' }))),
        el('tbody', {}, ...rows.map((d) => el('tr', { class: d.active ? 'active' : '' },
          el('td', { text: d.id }),
          el('td', { text: d.host || 'group ' + d.group }),
          el('td', { text: d.service || '(all)' }),
          el('td', { text: d.weekly ? 'weekly ' + d.weekly : time(d.start) + ' – ' + (d.end ? time(d.end) : '…') }),
          el('td', { text: d.active ? 'yes' : 'no' }),
          el('td', { text: d.author || '' }), el('td', { text: d.comment || '' }),
          el('td', { class: 'ctl' }, canAct() ? el('button', { type: 'button', class: 'danger', text: 'Delete',
            onclick: async () => {
              const what = (d.host || 'group ' + d.group) + (d.service ? ' / ' + d.service : '') +
                (d.weekly ? ', weekly ' + d.weekly : ', ' + time(d.start) + ' – ' + (d.end ? time(d.end) : '…'));
              if (!confirm('Delete the downtime for ' + what + '?' + (d.active ? ' It is active now: notifications resume.' : ''))) return;
              try {
                await api('/api/v1/downtimes/' + d.id, { method: 'DELETE' });
              } catch (x) {
                err.textContent = x.message;
              }
              load();
            } }) : null)))))
        : message('No downtime scheduled.'));
    } catch (e) {
      fill(list, message('Could not load: ' + e.message, 'error'));
    }
  }
  load();
  return () => {};
}
