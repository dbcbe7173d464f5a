// Backups: every node's sets with the last good backup, its level, size and age; sets whose last
// run failed come first, then the oldest last good backup.
import * as live from './live.js';
import { all } from './api.js';
import { badge, bytes, duration, el, fill, message, since, time } from './util.js';

export function mount(view) {
  const box = el('div', {});
  fill(view, el('h1', { text: 'Backups' }), box);
  async function load() {
    try {
      const runs = await all('/api/v1/backups');
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
      const rows = [...sets.values()].sort((a, b) =>
        ((a.last.result === 'OK') - (b.last.result === 'OK')) ||
        ((a.good ? a.good.finished : 0) - (b.good ? b.good.finished : 0)));
      fill(box, rows.length ? el('table', { class: 'grid', id: 'backups' },
        el('thead', {}, el('tr', {}, ...['Node', 'Set', 'Last run', 'Last good backup', 'Level', 'Size', 'Files', 'Age', 'Failures', 'Message']
          .map((t) => el('th', { text: t })))),
        el('tbody', {}, ...rows.map((s) => el('tr', { class: 'row-' + s.last.result },
          el('td', { text: s.node }), el('td', { text: s.set }),
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
