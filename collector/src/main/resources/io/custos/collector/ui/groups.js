// Host groups: the summary (state counts per group) and the grid (each group's hosts, coloured
// by their worst state, with the state as a word and a shape). The grid reads the hosts and the
// problems once, then follows the live stream: an event changes the tiles of its host only.
import { all, api, canAct } from './api.js';
import * as live from './live.js';
import { downtime } from './actions.js';
import { SEVERITY, el, fill, message, num } from './util.js';

/** The shape and the word beside the colour, so no state is told by colour alone. */
export const SHAPES = { OK: '✓', WARNING: '!', CRITICAL: '✖', UNKNOWN: '?', DOWN: '▼', UNREACHABLE: '◇', UP: '▲' };
const WORDS = { OK: 'OK', WARNING: 'WARN', CRITICAL: 'CRIT', UNKNOWN: 'UNKN', DOWN: 'DOWN', UNREACHABLE: 'UNREACH' };

/** One tile: `name` linking to `href`, coloured by `st`, with its shape, name, word and count. */
export function tile(name, href, st, problems) {
  return el('a', { class: 'tile st-' + st, href, dataset: { state: st },
    title: name + ': ' + st + (problems ? ', ' + problems + ' problems' : '') },
  el('span', { class: 'shape', 'aria-hidden': 'true', text: SHAPES[st] || '' }),
  el('span', { class: 'name', text: name }),
  st === 'OK' ? null : el('span', { class: 'word', text: WORDS[st] || st }),
  problems ? el('small', { text: ' ' + problems }) : null);
}

/**
 * The summary table of `rows` ([{group, hosts:{up,down}, services:{ok,…}}]) with a link per
 * group to `link(group)`; `onDowntime(group)` adds a downtime button when given.
 */
export function summaryTable(id, label, rows, link, onDowntime) {
  const cell = (n, st) => el('td', { class: 'num' + (n ? ' st-' + st : ' zero'), text: num(n) });
  return el('table', { class: 'grid', id },
    el('thead', {}, el('tr', {}, ...[label, 'Hosts UP', 'Hosts DOWN', 'Hosts UNREACHABLE', 'OK', 'WARNING', 'CRITICAL', 'UNKNOWN', '']
      .map((t) => el('th', { text: t })))),
    el('tbody', {}, ...rows.map((g) => el('tr', {},
      el('td', {}, el('a', { href: link(g.group), text: g.group })),
      cell(g.hosts.up, 'UP'), cell(g.hosts.down, 'DOWN'), cell(g.hosts.unreachable || 0, 'UNREACHABLE'),
      cell(g.services.ok, 'OK'), cell(g.services.warning, 'WARNING'),
      cell(g.services.critical, 'CRITICAL'), cell(g.services.unknown, 'UNKNOWN'),
      el('td', { class: 'ctl' }, onDowntime && canAct() ? el('button', { type: 'button', text: 'Downtime',
        onclick: () => onDowntime(g.group) }) : null)))));
}

export function mount(view, route) {
  const grid = route.params.get('view') === 'grid';
  const box = el('div', {});
  fill(view, el('h1', { text: 'Host groups' }),
    el('div', { class: 'tabs' },
      el('a', { href: '#/groups', class: grid ? '' : 'on', text: 'Summary' }),
      el('a', { href: '#/groups?view=grid', class: grid ? 'on' : '', text: 'Grid' })), box);

  async function summary() {
    const groups = await api('/api/v1/groups');
    fill(box, summaryTable('group-summary', 'Host group', groups,
      (g) => '#/services?group=' + encodeURIComponent(g), (g) => downtime({ group: g }, load)));
  }

  // The grid's state: hosts by name, each host's problems by service, and its tiles.
  const hosts = new Map();
  const problems = new Map();
  const tiles = new Map();

  function hostState(h) {
    if (h.state && h.state !== 'UP') return h.state;
    let w = 'OK';
    for (const st of (problems.get(h.host) || new Map()).values()) if ((SEVERITY[st] || 0) > (SEVERITY[w] || 0)) w = st;
    return w;
  }

  function hostTile(h) {
    const t = tile(h.host, '#/host/' + encodeURIComponent(h.host), hostState(h), h.problems);
    t.dataset.host = h.host;
    return t;
  }

  function drawGrid() {
    tiles.clear();
    const byGroup = new Map();
    for (const h of hosts.values()) {
      for (const g of (h.groups && h.groups.length ? h.groups : ['(no group)'])) {
        if (!byGroup.has(g)) byGroup.set(g, []);
        byGroup.get(g).push(h);
      }
    }
    const names = [...byGroup.keys()].sort();
    fill(box, ...names.map((g) => el('section', { class: 'hostgrid' },
      el('h2', { text: g + ' (' + byGroup.get(g).length + ')' }),
      el('div', { class: 'tiles' }, ...byGroup.get(g).sort((a, b) => (a.host < b.host ? -1 : 1)).map((h) => {
        const t = hostTile(h);
        if (!tiles.has(h.host)) tiles.set(h.host, []);
        tiles.get(h.host).push(t);
        return t;
      })))));
  }

  function redrawHost(name) {
    const h = hosts.get(name);
    const list = tiles.get(name);
    if (!h || !list) return false;
    tiles.set(name, list.map((old) => {
      const t = hostTile(h);
      old.replaceWith(t);
      return t;
    }));
    return true;
  }

  async function gridView() {
    const [hs, ps] = await Promise.all([all('/api/v1/hosts'), all('/api/v1/services?status=problems')]);
    hosts.clear();
    problems.clear();
    for (const h of hs) hosts.set(h.host, h);
    for (const p of ps) setProblem(p);
    drawGrid();
    live.touched();
  }

  function setProblem(p) {
    if (p.service === 'Host Alive') return;
    if (!problems.has(p.host)) problems.set(p.host, new Map());
    if (p.status === 'OK') problems.get(p.host).delete(p.service);
    else problems.get(p.host).set(p.service, p.status);
  }

  const same = (a, b) => (a || []).join('\u0000') === (b || []).join('\u0000');
  let redraw = false;
  let frame = false;
  const dirty = new Set();

  function follow(ev) {
    if (ev.type === 'service') {
      setProblem(ev.data);
      dirty.add(ev.data.host);
    } else if (ev.type === 'host') {
      const before = hosts.get(ev.data.host);
      hosts.set(ev.data.host, ev.data);
      if (!before || !same(before.groups, ev.data.groups)) redraw = true;
      else dirty.add(ev.data.host);
    } else if (ev.type === 'removed') {
      if (!ev.data.service) {
        hosts.delete(ev.data.host);
        problems.delete(ev.data.host);
        redraw = true;
      } else if (problems.has(ev.data.host)) {
        problems.get(ev.data.host).delete(ev.data.service);
        dirty.add(ev.data.host);
      }
    }
    if (frame) return;
    frame = true;
    requestAnimationFrame(() => {
      frame = false;
      if (redraw) drawGrid();
      else for (const h of dirty) if (!redrawHost(h)) drawGrid();
      redraw = false;
      dirty.clear();
    });
  }

  async function load() {
    try {
      await (grid ? gridView() : summary());
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  // The summary is one small request: re-read at most every 5 s while events come in.
  let timer = null;
  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') return load();
    if (grid) return follow(ev);
    if (!timer) timer = setTimeout(() => { timer = null; load(); }, 5000);
  });
  load();
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
