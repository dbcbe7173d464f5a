// Service Status: the Nagios table (Host, Service, Status, Duration, Attempt, Last Check, Status
// Information), filtered by host, group, status and text, a page at a time from the server.
import { api, canAct } from './api.js';
import * as live from './live.js';
import { acknowledge } from './actions.js';
import { badge, duration, el, fill, hostLink, key, message, num, since, time } from './util.js';

const PAGE = 100;

export function serviceRow(r, opts = {}) {
  const k = key(r.host, r.service);
  const flags = [];
  if (r.acknowledged) flags.push(el('span', { class: 'flag', text: 'ACK' }));
  if (r.in_downtime) flags.push(el('span', { class: 'flag', text: 'DOWNTIME' }));
  if (r.stale) flags.push(el('span', { class: 'flag', text: 'STALE' }));
  if (r.flapping) flags.push(el('span', { class: 'flag', text: 'FLAPPING' }));
  return el('tr', { class: 'row-' + r.status, dataset: { key: k } },
    opts.select ? el('td', { class: 'ctl sel' }, el('input', {
      type: 'checkbox', 'aria-label': 'select', checked: opts.select.has(k), disabled: r.status === 'OK',
      onchange: (e) => {
        if (e.target.checked) opts.select.add(k);
        else opts.select.delete(k);
        if (opts.onselect) opts.onselect();
      },
    })) : null,
    opts.noHost ? null : el('td', { class: 'host' }, hostLink(r.host)),
    el('td', { class: 'svc', text: r.service }),
    el('td', {}, badge(r.status)),
    el('td', { class: 'dur', dataset: { since: r.last_change }, text: duration(since(r.last_change)) }),
    el('td', { text: r.attempt + '/' + r.max_attempts + (r.state_type ? ' ' + r.state_type : '') }),
    el('td', { class: 'when', text: time(r.last_check) }),
    el('td', { class: 'out' }, ...flags, r.output || ''));
}

export function serviceTable(rows, opts = {}) {
  return el('table', { class: 'grid', id: opts.id },
    el('thead', {}, el('tr', {}, opts.select ? el('th', { class: 'ctl' }) : null,
      opts.noHost ? null : el('th', { text: 'Host' }),
      ...['Service', 'Status', 'Duration', 'Attempt', 'Last Check', 'Status Information'].map((t) => el('th', { text: t })))),
    el('tbody', {}, ...rows.map((r) => serviceRow(r, opts))));
}

export function mount(view, route) {
  const p = route.params;
  const selected = new Set();
  let rows = [];
  const form = el('form', { class: 'filters', id: 'service-filter' },
    el('input', { name: 'host', placeholder: 'Host', value: p.get('host') || '' }),
    el('select', { name: 'group', id: 'group-select' }, el('option', { value: '', text: 'All groups' })),
    el('select', { name: 'status' }, ...['all', 'problems', 'unhandled', 'ok', 'warning', 'critical', 'unknown']
      .map((s) => el('option', { value: s === 'all' ? '' : s, text: s, selected: (p.get('status') || '') === (s === 'all' ? '' : s) }))),
    el('input', { name: 'q', type: 'search', placeholder: 'Search host, service, output', value: p.get('q') || '' }),
    el('button', { type: 'submit', text: 'Filter' }));
  const offset = Number(p.get('offset') || 0);
  const pager = el('div', { class: 'pager' });
  const tools = el('div', { class: 'toolbar ctl' });
  const box = el('div', {});
  fill(view, el('h1', { text: 'Service Status' }), form, tools, pager, box);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
    location.hash = '#/services?' + q;
  });
  api('/api/v1/groups').then((groups) => {
    const sel = form.querySelector('#group-select');
    for (const g of groups) sel.append(el('option', { value: g.group, text: g.group, selected: g.group === p.get('group') }));
  }).catch(() => {});

  function query(off) {
    const q = new URLSearchParams();
    for (const k of ['host', 'group', 'status', 'q']) if (p.get(k)) q.set(k, p.get(k));
    q.set('limit', PAGE);
    q.set('offset', off);
    return q;
  }

  function renderTools() {
    if (!canAct()) return fill(tools);
    const targets = [...selected].map((k) => rows.find((r) => key(r.host, r.service) === k)).filter(Boolean);
    fill(tools, el('button', {
      type: 'button', class: 'primary', id: 'mass-ack', disabled: !targets.length,
      text: 'Acknowledge selected (' + targets.length + ')',
      onclick: () => acknowledge(targets.map((t) => ({ host: t.host, service: t.service })), load),
    }));
  }

  async function load() {
    try {
      const { data, total } = await api('/api/v1/services?' + query(offset), { total: true });
      rows = data;
      const nav = (off, text) => el('a', { href: '#/services?' + pageQuery(off), text });
      const pageQuery = (off) => {
        const q = query(off);
        q.delete('limit');
        if (!off) q.delete('offset');
        return q;
      };
      fill(pager,
        offset > 0 ? nav(Math.max(0, offset - PAGE), '‹ Previous') : null,
        el('span', { text: total ? ' ' + num(offset + 1) + '–' + num(offset + rows.length) + ' of ' + num(total) + ' ' : ' no services ' }),
        offset + PAGE < total ? nav(offset + PAGE, 'Next ›') : null);
      fill(box, serviceTable(rows, { select: canAct() ? selected : null, onselect: renderTools, id: 'services' }));
      renderTools();
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }

  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') return load();
    if (ev.type !== 'service') return;
    const k = key(ev.data.host, ev.data.service);
    const tr = box.querySelector('tr[data-key="' + CSS.escape(k) + '"]');
    if (!tr) return;
    const i = rows.findIndex((r) => key(r.host, r.service) === k);
    if (i >= 0) rows[i] = ev.data;
    tr.replaceWith(serviceRow(ev.data, { select: canAct() ? selected : null, onselect: renderTools }));
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
