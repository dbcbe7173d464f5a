// Host groups: the summary (state counts per group) and the grid (each group's hosts, coloured
// by their worst state).
import { api, canAct } from './api.js';
import * as live from './live.js';
import { downtime } from './actions.js';
import { SEVERITY, el, fill, message, num } from './util.js';

export function mount(view, route) {
  const grid = route.params.get('view') === 'grid';
  const box = el('div', {});
  fill(view, el('h1', { text: 'Host groups' }),
    el('div', { class: 'tabs' },
      el('a', { href: '#/groups', class: grid ? '' : 'on', text: 'Summary' }),
      el('a', { href: '#/groups?view=grid', class: grid ? 'on' : '', text: 'Grid' })), box);

  const cell = (n, st) => el('td', { class: 'num' + (n ? ' st-' + st : ' zero'), text: num(n) });

  async function summary() {
    const groups = await api('/api/v1/groups');
    fill(box, el('table', { class: 'grid', id: 'group-summary' },
      el('thead', {}, el('tr', {}, ...['Host group', 'Hosts UP', 'Hosts DOWN', 'Hosts UNREACHABLE', 'OK', 'WARNING', 'CRITICAL', 'UNKNOWN', '']
        .map((t) => el('th', { text: t })))),
      el('tbody', {}, ...groups.map((g) => el('tr', {},
        el('td', {}, el('a', { href: '#/services?group=' + encodeURIComponent(g.group), text: g.group })),
        cell(g.hosts.up, 'UP'), cell(g.hosts.down, 'DOWN'), cell(g.hosts.unreachable || 0, 'UNREACHABLE'),
        cell(g.services.ok, 'OK'), cell(g.services.warning, 'WARNING'),
        cell(g.services.critical, 'CRITICAL'), cell(g.services.unknown, 'UNKNOWN'),
        el('td', { class: 'ctl' }, canAct() ? el('button', { type: 'button', text: 'Downtime',
          onclick: () => downtime({ group: g.group }, load) }) : null))))));
  }

  async function gridView() {
    const [hosts, problems] = await Promise.all([
      api('/api/v1/hosts?limit=10000'),
      api('/api/v1/services?status=problems&limit=10000'),
    ]);
    const worst = new Map();
    for (const p of problems) {
      if ((SEVERITY[p.status] || 0) > (SEVERITY[worst.get(p.host)] || 0)) worst.set(p.host, p.status);
    }
    const byGroup = new Map();
    for (const h of hosts) {
      for (const g of (h.groups && h.groups.length ? h.groups : ['(no group)'])) {
        if (!byGroup.has(g)) byGroup.set(g, []);
        byGroup.get(g).push(h);
      }
    }
    const names = [...byGroup.keys()].sort();
    fill(box, ...names.map((g) => el('section', { class: 'hostgrid' },
      el('h2', { text: g + ' (' + byGroup.get(g).length + ')' }),
      el('div', { class: 'tiles' }, ...byGroup.get(g).sort((a, b) => (a.host < b.host ? -1 : 1)).map((h) => {
        const st = h.state === 'DOWN' || h.state === 'UNREACHABLE' ? h.state : worst.get(h.host) || 'OK';
        return el('a', { class: 'tile st-' + st, href: '#/host/' + encodeURIComponent(h.host),
          title: h.host + ': ' + st + (h.problems ? ', ' + h.problems + ' problems' : '') },
        el('span', { text: h.host }), h.problems ? el('small', { text: ' ' + h.problems }) : null);
      })))));
  }

  async function load() {
    try {
      await (grid ? gridView() : summary());
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  let timer = null;
  const unsubscribe = live.subscribe(() => {
    if (!timer) timer = setTimeout(() => { timer = null; load(); }, 1000);
  });
  load();
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
