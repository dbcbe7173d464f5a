// Service Status: the Nagios table (Host, Service, Status, Duration, Attempt, Last Check, Status
// Information), filtered by host (a part of its name), group, status and text, sorted by any
// column (click its heading), a page at a time from the server, in pages of 25 to 500 rows.
import { api, canAct } from './api.js';
import * as live from './live.js';
import { acknowledge } from './actions.js';
import { badge, duration, el, fill, hostLink, key, message, num, since, time } from './util.js';

const PAGE = 100;
const SIZES = [25, 50, 100, 250, 500];
// Column heading → the server's sort key.
const SORTS = { Host: 'host', Service: 'service', Status: 'status', Duration: 'duration', Attempt: 'attempt', 'Last Check': 'last_check' };

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

/**
 * The table; opts.sortLink(column) gives a heading's link (and opts.sort the current order,
 * "-duration"), opts.selectAll a checkbox for the selection column's heading.
 */
export function serviceTable(rows, opts = {}) {
  const head = (t) => {
    const k = SORTS[t];
    if (!opts.sortLink || !k) return el('th', { text: t });
    const on = opts.sort === k ? ' ▲' : opts.sort === '-' + k ? ' ▼' : '';
    return el('th', { class: 'sortable', 'aria-sort': on === ' ▲' ? 'ascending' : on ? 'descending' : 'none' },
      el('a', { href: opts.sortLink(opts.sort === k ? '-' + k : k), dataset: { sort: k }, text: t + on }));
  };
  return el('table', { class: 'grid', id: opts.id },
    el('thead', {}, el('tr', {}, opts.select ? el('th', { class: 'ctl' }, opts.selectAll || null) : null,
      opts.noHost ? null : head('Host'),
      ...['Service', 'Status', 'Duration', 'Attempt', 'Last Check', 'Status Information'].map(head))),
    el('tbody', {}, ...rows.map((r) => serviceRow(r, opts))));
}

export function mount(view, route) {
  const p = route.params;
  const selected = new Set();
  let rows = [];
  const size = SIZES.includes(Number(p.get('size'))) ? Number(p.get('size')) : PAGE;
  const form = el('form', { class: 'filters', id: 'service-filter' },
    el('input', { name: 'host', id: 'host-filter', placeholder: 'Host (part of the name)', value: p.get('host') || '' }),
    el('select', { name: 'group', id: 'group-select' }, el('option', { value: '', text: 'All groups' })),
    el('select', { name: 'status' }, ...['all', 'problems', 'unhandled', 'ok', 'warning', 'critical', 'unknown']
      .map((s) => el('option', { value: s === 'all' ? '' : s, text: s, selected: (p.get('status') || '') === (s === 'all' ? '' : s) }))),
    el('input', { name: 'q', type: 'search', placeholder: 'Search host, service, output', value: p.get('q') || '' }),
    el('label', {}, 'Rows ', el('select', { name: 'size', id: 'page-size' },
      ...SIZES.map((n) => el('option', { value: n, text: n, selected: n === size })))),
    p.get('sort') ? el('input', { type: 'hidden', name: 'sort', value: p.get('sort') }) : null,
    el('button', { type: 'submit', text: 'Filter' }));
  form.querySelector('#page-size').addEventListener('change', () => form.requestSubmit());
  const offset = Number(p.get('offset') || 0);
  const pager = el('div', { class: 'pager' });
  const tools = el('div', { class: 'toolbar ctl' });
  const box = el('div', {});
  fill(view, el('h1', { text: 'Service Status' }), form, tools, pager, box);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v && !(k === 'size' && Number(v) === PAGE)) q.set(k, v);
    location.hash = '#/services?' + q;
  });
  api('/api/v1/groups').then((groups) => {
    const sel = form.querySelector('#group-select');
    for (const g of groups) sel.append(el('option', { value: g.group, text: g.group, selected: g.group === p.get('group') }));
  }).catch(() => {});

  // The address keeps the page's own names (host, size); the server's are host_contains, limit.
  function query(off) {
    const q = new URLSearchParams();
    for (const k of ['group', 'status', 'q', 'sort']) if (p.get(k)) q.set(k, p.get(k));
    if (p.get('host')) q.set('host_contains', p.get('host'));
    q.set('limit', size);
    q.set('offset', off);
    return q;
  }

  function address(off, sort) {
    const q = new URLSearchParams();
    for (const k of ['host', 'group', 'status', 'q', 'size']) if (p.get(k)) q.set(k, p.get(k));
    if (sort) q.set('sort', sort);
    if (off) q.set('offset', off);
    return '#/services?' + q;
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
      const nav = (off, text) => el('a', { href: address(off, p.get('sort')), text });
      fill(pager,
        offset > 0 ? nav(Math.max(0, offset - size), '‹ Previous') : null,
        el('span', { text: total ? ' ' + num(offset + 1) + '–' + num(offset + rows.length) + ' of ' + num(total) + ' ' : ' ' }),
        offset + size < total ? nav(offset + size, 'Next ›') : null);
      const selectAll = el('input', { type: 'checkbox', id: 'select-all', 'aria-label': 'select all visible problems',
        title: 'Select all visible problems', onchange: (e) => {
          for (const r of rows) {
            if (r.status === 'OK') continue;
            if (e.target.checked) selected.add(key(r.host, r.service));
            else selected.delete(key(r.host, r.service));
          }
          for (const c of box.querySelectorAll('tbody input[type=checkbox]:not(:disabled)')) c.checked = e.target.checked;
          renderTools();
        } });
      if (!total) {
        const what = [p.get('host') ? 'host containing "' + p.get('host') + '"' : null, p.get('group') ? 'group ' + p.get('group') : null,
          p.get('status') ? 'status ' + p.get('status') : null, p.get('q') ? 'text "' + p.get('q') + '"' : null].filter(Boolean);
        fill(box, el('p', { class: 'msg empty-filter', id: 'no-match',
          text: what.length ? 'No service matches ' + what.join(', ') + '.' : 'No services reported yet.' }));
      } else {
        fill(box, serviceTable(rows, { select: canAct() ? selected : null, onselect: renderTools, id: 'services',
          sort: p.get('sort'), sortLink: (k) => address(0, k), selectAll }));
      }
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
