// Backups: every node's sets with the last good backup, its level, size and age; sets whose last
// run failed come first, then the sets that never ran (the agent's "Backup SET" service says a
// set exists before its first run), then the oldest last good backup.
import * as live from './live.js';
import { all } from './api.js';
import { badge, bytes, duration, el, fill, hostLink, message, since, time } from './util.js';

export function mount(view) {
  const box = el('div', {});
  fill(view, el('h1', { text: 'Backups' }), box);
  async function load() {
    try {
      const [runs, checks] = await Promise.all([all('/api/v1/backups'),
        all('/api/v1/services?q=' + encodeURIComponent('Backup ')).catch(() => [])]);
      const sets = new Map();
      for (const b of runs) {
        const k = b.node + '\u0000' + b.set;
        let s = sets.get(k);
        if (!s) sets.set(k, (s = { node: b.node, set: b.set, last: b, good: null, failures: 0 }));
        if (b.started > s.last.started) s.last = b;
        if (b.result === 'OK') {
          if (!s.good || b.started > s.good.started) s.good = b;
        } else {
          s.failures++;
        }
      }
      // A configured set with no run yet: only its check knows it.
      for (const c of checks) {
        if (c.check !== 'backup' || !c.service.startsWith('Backup ')) continue;
        const set = c.service.slice('Backup '.length);
        const k = c.host + '\u0000' + set;
        if (!sets.has(k)) sets.set(k, { node: c.host, set, last: null, good: null, failures: 0, check: c });
      }
      const rank = (s) => (!s.last ? 1 : s.last.result === 'OK' ? 2 : 0);
      const rows = [...sets.values()].sort((a, b) => (rank(a) - rank(b)) ||
        ((a.good ? a.good.finished : 0) - (b.good ? b.good.finished : 0)));
      fill(box, rows.length ? el('table', { class: 'grid', id: 'backups' },
        el('thead', {}, el('tr', {}, ...['Node', 'Set', 'Last run', 'Last good backup', 'Level', 'Size', 'Files', 'Age', 'Failures', 'Message']
          .map((t) => el('th', { text: t })))),
        el('tbody', {}, ...rows.map((s) => !s.last ? el('tr', { class: 'row-' + s.check.status + ' never', dataset: { set: s.set } },
          el('td', {}, hostLink(s.node)), el('td', { text: s.set }),
          el('td', {}, el('span', { class: 'flag', text: 'NEVER RAN' })),
          el('td', { text: 'never' }), el('td'), el('td'), el('td'), el('td', { text: '—' }), el('td', { class: 'num', text: '0' }),
          el('td', { class: 'out' }, badge(s.check.status), ' ', s.check.output || ''))
          : el('tr', { class: 'row-' + s.last.result, dataset: { set: s.set } },
          el('td', {}, hostLink(s.node)), el('td', { text: s.set }),
          el('td', {}, badge(s.last.result), ' ', time(s.last.finished)),
          el('td', { text: s.good ? time(s.good.finished) : 'never' }),
          el('td', { text: s.good ? s.good.level : '' }),
          el('td', { class: 'num', text: s.good ? bytes(s.good.bytes) : '' }),
          el('td', { class: 'num', text: s.good ? s.good.files : '' }),
          el('td', { text: s.good ? duration(since(s.good.finished)) : '—' }),
          el('td', { class: 'num', text: s.failures }),
          el('td', { class: 'out', text: s.last.message || '' })))))
        : message('No backups reported yet.'));
    } catch (e) {
      fill(box, message('Could not load: ' + e.message, 'error'));
    }
  }
  const unsubscribe = live.subscribe((ev) => {
    if (ev.type === 'resync') load();
  });
  load();
  return unsubscribe;
}
