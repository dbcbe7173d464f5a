// Service groups (servicegroups: in collector.yml): the summary (each group's hosts and member
// services by state) and the grid (each group's services as tiles with their state as a word and
// a shape). The grid reads its members once, then follows the live stream.
import { all, api } from './api.js';
import * as live from './live.js';
import { summaryTable, tile } from './groups.js';
import { el, fill, key, message } from './util.js';

export function mount(view, route) {
  const grid = route.params.get('view') === 'grid';
  const box = el('div', {});
  fill(view, el('h1', { text: 'Service groups' }),
    el('div', { class: 'tabs' },
      el('a', { href: '#/servicegroups', class: grid ? '' : 'on', text: 'Summary' }),
      el('a', { href: '#/servicegroups?view=grid', class: grid ? 'on' : '', text: 'Grid' })), box);
  const none = () => message('No service groups: add servicegroups: to collector.yml, e.g. ' +
    'servicegroups: { disks: { services: ["Disk *"] } }');

  async function summary() {
    const groups = await api('/api/v1/servicegroups');
    if (!groups.length) return fill(box, none());
    fill(box, summaryTable('servicegroup-summary', 'Service group', groups,
      (g) => '#/servicegroups?view=grid&group=' + encodeURIComponent(g), null));
  }

  // Grid state: each group's member rows by key, and the tile of each key.
  const members = new Map();
  const tiles = new Map();

  function svcTile(r) {
    const t = tile(r.host + ' · ' + r.service,
      '#/service/' + encodeURIComponent(r.host) + '/' + encodeURIComponent(r.service), r.status, 0);
    t.dataset.key = key(r.host, r.service);
    return t;
  }

  async function gridView() {
    const only = route.params.get('group');
    const groups = (await api('/api/v1/servicegroups')).map((g) => g.group).filter((g) => !only || g === only);
    if (!groups.length) return fill(box, none());
    const rows = await Promise.all(groups.map((g) => all('/api/v1/services?servicegroup=' + encodeURIComponent(g))));
    members.clear();
    tiles.clear();
    fill(box, ...groups.map((g, i) => {
      const m = new Map(rows[i].map((r) => [key(r.host, r.service), r]));
      members.set(g, m);
      return el('section', { class: 'hostgrid', dataset: { group: g } },
        el('h2', { text: g + ' (' + m.size + ')' }),
        el('div', { class: 'tiles' }, ...[...m.values()].map((r) => {
          const t = svcTile(r);
          if (!tiles.has(t.dataset.key)) tiles.set(t.dataset.key, []);
          tiles.get(t.dataset.key).push(t);
          return t;
        })));
    }));
    live.touched();
  }

  // A member's event replaces its tiles. Which services are members only the server knows (the
  // patterns): a removal re-reads the grid (at most every 5 s); a service that is new to a group
  // shows on the next visit or reconnect.
  function follow(ev) {
    if (ev.type !== 'service') return false;
    const k = key(ev.data.host, ev.data.service);
    const list = tiles.get(k);
    if (!list) return false;
    tiles.set(k, list.map((old) => {
      const t = svcTile(ev.data);
      old.replaceWith(t);
      return t;
    }));
    return true;
  }

  async function load() {
    try {
      await (grid ? gridView() : summary());
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  let timer = null;
  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') return load();
    if (grid && follow(ev)) return;
    if (!grid && ev.type !== 'service') return;
    if (grid && ev.type !== 'removed') return;
    if (!timer) timer = setTimeout(() => { timer = null; load(); }, 5000);
  });
  load();
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
