// The operations screen: big state counts and the problem list, unhandled first, kept current
// from the live stream. Made to be read from across the room.
//
// Speed: a live event changes one entry of `problems`; the screen is redrawn at most once per
// animation frame, and only the rows whose data changed are rebuilt (rows are keyed by
// host/service and moved, not recreated). A list longer than the screen is paged (kiosk, or
// #/?rotate=1): the page turns by itself every PAGE_MS.
import { all, api, canAct, ApiError } from './api.js';
import * as live from './live.js';
import { acknowledge, downtime } from './actions.js';
import { alarm } from './alarm.js';
import { badge, duration, el, fill, hostLink, key, num, since, SEVERITY, time } from './util.js';

const MAX_ROWS = 300;
const PAGE_MS = 10000;
const MIN_FRAME_MS = 250;
const FIRST_ROWS = 60;
const HOST_ALIVE = 'Host Alive';

/** A soft state: a problem still on its first attempts, not yet confirmed. */
export function soft(r) {
  return r.state_type === 'SOFT';
}

/**
 * The wall's order: a DOWN host first, then hard problems before soft ones (a first-attempt blip
 * never sorts above a long-standing hard problem), then by severity, then the newest first.
 */
export function wallOrder(a, b) {
  return ((b.service === HOST_ALIVE) - (a.service === HOST_ALIVE)) || (soft(a) - soft(b)) ||
    (SEVERITY[b.status] - SEVERITY[a.status]) || (b.last_change - a.last_change) ||
    (a.host < b.host ? -1 : a.host > b.host ? 1 : a.service < b.service ? -1 : 1);
}

/**
 * Ack (with who, why and since when, from `ack`, a row of /api/v1/acks), downtime, host-down,
 * soft and flapping marks of a problem row, as words.
 */
export function flags(r, ack) {
  const f = [];
  if (r.acknowledged) {
    const a = ack || {};
    f.push(el('span', { class: 'flag ack', text: 'ACK' + (a.author ? ' ' + a.author : ''),
      title: 'acknowledged' + (a.author ? ' by ' + a.author : '') + (a.comment ? ': ' + a.comment : '') }));
    if (a.comment) f.push(el('span', { class: 'ack-comment', text: '“' + a.comment + '”' + (a.time ? ' since ' + time(a.time) : '') + ' ' }));
  }
  if (r.in_downtime) f.push(el('span', { class: 'flag', text: 'DOWNTIME' }));
  if (r.host_down || r.stale) f.push(el('span', { class: 'flag', text: 'HOST DOWN' }));
  if (soft(r)) f.push(el('span', { class: 'flag soft', text: 'SOFT ' + r.attempt + '/' + r.max_attempts }));
  if (r.flapping) f.push(el('span', { class: 'flag', text: 'FLAPPING' }));
  return f;
}

export function mount(view, route) {
  const params = route ? route.params : new URLSearchParams();
  const problems = new Map();
  const selected = new Set();
  const rowCache = new Map();
  const hostsDown = new Set();
  const acks = new Map();
  let summary = null;
  let first = true;
  let loaded = false;
  let pending = false;
  let summaryTimer = null;
  let page = 0;
  let pages = 1;
  let visibleOpen = [];
  const rotate = document.body.classList.contains('kiosk') || params.get('rotate') === '1';

  const counts = el('section', { class: 'counts', id: 'counts' });
  const toolbar = el('div', { class: 'toolbar ctl' });
  const openN = el('span', { class: 'n', id: 'unhandled-n', text: '…' });
  const openPage = el('small', { class: 'page', id: 'unhandled-page' });
  const openEmpty = el('p', { class: 'all-ok', text: 'No unhandled problems', hidden: true });
  const openMore = el('p', { class: 'more', hidden: true });
  const selectAll = el('input', { type: 'checkbox', id: 'select-all', 'aria-label': 'select all visible',
    title: 'Select all visible', onchange: (e) => {
      for (const r of visibleOpen) {
        if (e.target.checked) selected.add(key(r.host, r.service));
        else selected.delete(key(r.host, r.service));
      }
      for (const box of unhandledBody.querySelectorAll('input[type=checkbox]')) box.checked = e.target.checked;
      renderToolbar();
    } });
  const unhandledBody = el('tbody');
  const unhandledTable = tableShell(unhandledBody, true, selectAll);
  const unhandledBox = el('section', { class: 'problems', id: 'unhandled' },
    el('h2', {}, 'Unhandled problems ', openN, ' ', openPage), openEmpty, unhandledTable, openMore);
  const handledN = el('span', { class: 'n', id: 'handled-n', text: '…' });
  const handledBody = el('tbody');
  const handledTable = tableShell(handledBody, false, null);
  const handledMore = el('p', { class: 'more', hidden: true });
  const handledBox = el('section', { class: 'problems handled', id: 'handled' },
    el('h2', {}, 'Handled ', handledN, el('small', { text: ' acknowledged, in downtime, or host down' })),
    handledTable, handledMore);
  fill(view, counts, toolbar, unhandledBox, handledBox);

  let noSummaryRoute = false;

  async function loadSummary(rows) {
    if (!noSummaryRoute) {
      try {
        summary = await api('/api/v1/summary');
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 404) throw e;
        noSummaryRoute = true;
      }
    }
    summary = await fallbackSummary(rows || [...problems.values()]);
  }

  // Events that arrive while a list is being read are newer than it: applied again on top.
  let reading = 0;
  let during = [];

  async function load() {
    reading++;
    let rows;
    try {
      // Every problem, however many: read 10,000 at a time.
      rows = await all('/api/v1/services?status=problems');
    } finally {
      reading--;
    }
    problems.clear();
    for (const r of rows) problems.set(key(r.host, r.service), r);
    for (const ev of during) apply(ev, false);
    if (!reading) during = [];
    if (!loaded) performance.mark('custos-ops-data');
    loaded = true;
    live.touched();
    if (noSummaryRoute) await loadSummary(rows);
    schedule();
  }

  async function loadAll() {
    await Promise.all([load(), loadSummary().then(schedule), loadAcks()]);
  }

  // Who acknowledged what and why: read with the list, again when an event shows an
  // acknowledgement this page does not know (at most once a second).
  let acksTimer = null;
  async function loadAcks() {
    try {
      const rows = await all('/api/v1/acks');
      acks.clear();
      for (const a of rows) acks.set(key(a.host, a.service), a);
      schedule();
    } catch (e) {
      // a collector without the route, or without an alert engine: the ACK mark alone
    }
  }
  function refreshAcks() {
    if (acksTimer) return;
    acksTimer = setTimeout(() => {
      acksTimer = null;
      loadAcks();
    }, 1000);
  }

  // Counts come from the server; after live events they are re-read at most once a second.
  function refreshSummary() {
    if (summaryTimer) return;
    summaryTimer = setTimeout(async () => {
      summaryTimer = null;
      try {
        await loadSummary();
        schedule();
      } catch (e) {
        console.warn('summary', e);
      }
    }, 1000);
  }

  function onEvent(ev) {
    if (ev.type === 'resync') {
      loadAll().catch((e) => console.warn('resync', e));
      return;
    }
    if (reading) during.push(ev);
    apply(ev, true);
  }

  // Moves one service between the counts at once; the server's summary, re-read shortly after,
  // stays the reference. Host Alive rows are counted as hosts, not here.
  function recount(before, after) {
    if (!summary || !summary.services || after.host_alive || after.service === HOST_ALIVE) return;
    const st = (x) => (x ? x.status.toLowerCase() : 'ok');
    for (const [row, d] of [[before, -1], [after.status === 'OK' ? null : after, 1]]) {
      summary.services[st(row)] = Math.max(0, (summary.services[st(row)] || 0) + d);
    }
  }

  function apply(ev, isLive) {
    if (ev.type === 'service') {
      const s = ev.data;
      const k = key(s.host, s.service);
      const before = problems.get(k);
      if (isLive) recount(before, s);
      if (s.acknowledged !== !!acks.get(k)) refreshAcks();
      if (s.status === 'OK') {
        problems.delete(k);
      } else {
        problems.set(k, s);
        const loud = (x) => x && x.status === 'CRITICAL' && !soft(x) && isOpen(x);
        if (isLive && loud(s) && !loud(before)) alarm();
      }
      refreshSummary();
      schedule();
    } else if (ev.type === 'removed') {
      for (const k of [...problems.keys()]) {
        const p = problems.get(k);
        if (p.host === ev.data.host && (!ev.data.service || p.service === ev.data.service)) problems.delete(k);
      }
      refreshSummary();
      schedule();
    } else if (ev.type === 'host') {
      if (ev.data.state === 'DOWN' || ev.data.state === 'UNREACHABLE') hostsDown.add(ev.data.host);
      else hostsDown.delete(ev.data.host);
      refreshSummary();
      schedule();
    }
  }

  /**
   * Unhandled: the server's decision (the row's `unhandled`: a problem, not acknowledged, not in
   * downtime, not on a DOWN host), and, between two reads, no host the stream has said is DOWN.
   * A host's own row is unhandled unless the host is UNREACHABLE (its root cause is the problem).
   */
  function isOpen(p) {
    const base = 'unhandled' in p ? p.unhandled === true
      : p.status !== 'OK' && !p.acknowledged && !p.in_downtime && !p.stale;
    if (p.host_alive || p.service === HOST_ALIVE) return base && hostRowState(p) !== 'UNREACHABLE';
    return base && !p.host_down && !hostsDown.has(p.host);
  }

  // At most one redraw per animation frame, and at most one per MIN_FRAME_MS while events pour
  // in: 150 events a second cost a few redraws, not 150.
  let lastRender = 0;
  function schedule() {
    if (pending) return;
    pending = true;
    const wait = Math.max(0, lastRender + MIN_FRAME_MS - performance.now());
    const go = () => requestAnimationFrame(() => {
      pending = false;
      lastRender = performance.now();
      render();
    });
    if (wait > 0 && loaded && !first) setTimeout(go, wait);
    else go();
  }

  /** Rows that fit between the top of the unhandled table and the bottom of the window. */
  function rowsThatFit() {
    const top = unhandledTable.getBoundingClientRect().top + window.scrollY;
    const tr = unhandledBody.firstElementChild;
    const h = tr ? tr.getBoundingClientRect().height : 40;
    const head = unhandledTable.tHead ? unhandledTable.tHead.getBoundingClientRect().height : 40;
    // A quarter of the window stays for the handled list.
    return Math.max(3, Math.floor((window.innerHeight * 0.75 - top - head) / Math.max(h, 16)));
  }

  function render() {
    const open = [];
    const handled = [];
    for (const p of problems.values()) (isOpen(p) ? open : handled).push(p);
    open.sort(wallOrder);
    handled.sort(wallOrder);
    renderCounts(open.length, handled.length);
    // Until the list is read (a render can come first, from a live event or a resize), the
    // headings say "…" as the count boxes do, never a reassuring 0.
    openN.textContent = loaded ? num(open.length) : '…';
    handledN.textContent = loaded ? num(handled.length) : '…';
    let shown = open;
    if (rotate && open.length) {
      const per = rowsThatFit();
      pages = Math.max(1, Math.ceil(open.length / per));
      page = page % pages;
      shown = open.slice(page * per, (page + 1) * per);
      openPage.textContent = pages > 1 ? 'page ' + (page + 1) + ' of ' + pages + ', turns every ' + PAGE_MS / 1000 + ' s' : '';
    } else {
      // The first paint builds what a screen shows (FIRST_ROWS); the next frame the rest.
      shown = open.slice(0, first ? FIRST_ROWS : MAX_ROWS);
      openPage.textContent = '';
    }
    visibleOpen = shown;
    openEmpty.hidden = !loaded || open.length > 0;
    unhandledTable.hidden = open.length === 0;
    reconcile(unhandledBody, shown, true);
    more(openMore, rotate ? 0 : open.length - shown.length);
    const handledShown = handled.slice(0, rotate || first ? 20 : MAX_ROWS);
    handledTable.hidden = handled.length === 0;
    reconcile(handledBody, handledShown, false);
    more(handledMore, handled.length - handledShown.length);
    for (const k of rowCache.keys()) if (!problems.has(k)) rowCache.delete(k);
    renderToolbar();
    if (first && loaded && summary) {
      first = false;
      performance.measure('custos-ops-render', 'custos-ops-data');
      performance.mark('custos-ops-rendered');
      document.body.dataset.opsRendered = '1';
      if (open.length > FIRST_ROWS || handled.length > 20) schedule();
    }
  }

  function more(p, n) {
    p.hidden = n <= 0;
    if (n > 0) fill(p, el('a', { href: '#/services?status=problems', text: '… and ' + num(n) + ' more (Service Status lists them all)' }));
  }

  /** Puts exactly `rows` into `tbody`, in order, reusing the row of every unchanged problem. */
  function reconcile(tbody, rows, open) {
    let cur = tbody.firstChild;
    for (const r of rows) {
      const tr = rowFor(r, open);
      if (tr === cur) cur = cur.nextSibling;
      else tbody.insertBefore(tr, cur);
    }
    while (cur) {
      const next = cur.nextSibling;
      cur.remove();
      cur = next;
    }
  }

  function rowFor(r, open) {
    const k = key(r.host, r.service);
    const down = r.service !== HOST_ALIVE && (r.host_down || hostsDown.has(r.host));
    const ack = acks.get(k);
    const c = rowCache.get(k);
    if (c && c.data === r && c.open === open && c.down === down && c.ack === ack) return c.tr;
    const tr = problemRow(down && !r.host_down ? { ...r, host_down: true } : r, open, ack);
    rowCache.set(k, { data: r, open, down, ack, tr });
    return tr;
  }

  // The count boxes are built once; a redraw changes only the numbers that changed.
  const countBoxes = new Map();
  function countBox(label, cls, id, shape) {
    const value = el('span', { class: 'value', text: '…' });
    const box = el('div', { class: 'count ' + cls, id }, value,
      el('span', { class: 'label' }, shape ? el('span', { class: 'shape', text: shape + ' ' }) : null, label));
    countBoxes.set(id, { box, value, cls });
    return box;
  }
  const unreachableBox = countBox('UNREACHABLE', 'st-UNREACHABLE', 'count-unreachable', '◇');
  fill(counts,
    el('div', { class: 'group' }, el('h3', { text: 'Hosts' }),
      countBox('UP', 'st-UP', 'count-up', '▲'), countBox('DOWN', 'st-DOWN', 'count-down', '▼'), unreachableBox),
    el('div', { class: 'group' }, el('h3', { text: 'Services' }),
      countBox('OK', 'st-OK', 'count-ok', '✓'), countBox('WARNING', 'st-WARNING', 'count-warning', '!'),
      countBox('CRITICAL', 'st-CRITICAL', 'count-critical', '✖'), countBox('UNKNOWN', 'st-UNKNOWN', 'count-unknown', '?')),
    el('div', { class: 'group' }, el('h3', { text: 'Problems' }),
      countBox('Unhandled', 'st-CRITICAL', 'count-unhandled'), countBox('Handled', 'st-handled', 'count-handled')));

  function setCount(id, n, cls) {
    const c = countBoxes.get(id);
    const known = n !== undefined && n !== null;
    const text = known ? num(n) : '…';
    if (c.value.textContent !== text) c.value.textContent = text;
    const want = 'count ' + (cls || c.cls) + (known && !n ? ' zero' : '');
    if (c.box.className !== want) c.box.className = want;
  }

  function renderCounts(openCount, handledCount) {
    const s = summary || { hosts: {}, services: {} };
    setCount('count-up', s.hosts.up);
    setCount('count-down', s.hosts.down);
    setCount('count-unreachable', s.hosts.unreachable);
    unreachableBox.hidden = !s.hosts.unreachable;
    setCount('count-ok', s.services.ok);
    setCount('count-warning', s.services.warning);
    setCount('count-critical', s.services.critical);
    setCount('count-unknown', s.services.unknown);
    // The list's own length: the count equals the list it heads.
    setCount('count-unhandled', loaded ? openCount : undefined, openCount ? 'st-CRITICAL' : 'st-OK');
    setCount('count-handled', loaded ? handledCount : undefined);
  }

  function renderToolbar() {
    if (!canAct()) {
      fill(toolbar);
      return;
    }
    const targets = [...selected].map((k) => problems.get(k)).filter(Boolean);
    const btn = toolbar.querySelector('#mass-ack');
    const label = 'Acknowledge selected (' + targets.length + ')';
    if (btn && btn.textContent === label) return;
    fill(toolbar,
      el('button', {
        type: 'button', id: 'mass-ack', class: 'primary', disabled: targets.length === 0, text: label,
        onclick: () => acknowledge([...selected].map((k) => problems.get(k)).filter(Boolean)
          .map((t) => ({ host: t.host, service: t.service })), () => {
          selected.clear();
          selectAll.checked = false;
          load();
        }),
      }));
  }

  function problemRow(r, open, ack) {
    const act = canAct();
    const k = key(r.host, r.service);
    const hostState = hostRowState(r);
    const hostRow = hostState !== null;
    return el('tr', { class: 'row-' + (hostState || r.status) + (soft(r) ? ' soft' : ''), dataset: { key: k } },
      act ? el('td', { class: 'ctl sel' }, el('input', {
        type: 'checkbox', 'aria-label': 'select', checked: selected.has(k),
        onchange: (e) => {
          if (e.target.checked) selected.add(k);
          else selected.delete(k);
          renderToolbar();
        },
      })) : null,
      el('td', {}, badge(hostState || r.status)),
      el('td', { class: 'host' }, hostLink(r.host)),
      el('td', { class: 'svc' }, hostRow ? el('i', { text: 'host' })
        : el('a', { href: '#/service/' + encodeURIComponent(r.host) + '/' + encodeURIComponent(r.service), text: r.service })),
      el('td', { class: 'dur', dataset: { since: r.last_change }, text: duration(since(r.last_change)) }),
      el('td', { class: 'out' }, ...flags(r, ack), r.output || ''),
      act && open ? el('td', { class: 'ctl acts' },
        el('button', { type: 'button', class: 'ack', text: 'Ack',
          onclick: () => acknowledge([{ host: r.host, service: r.service }], load) }),
        el('button', { type: 'button', class: 'dt', text: 'Downtime',
          onclick: () => downtime({ host: r.host, service: hostRow ? undefined : r.service }, load) })) : null);
  }

  function tableShell(body, open, selectBox) {
    const act = canAct();
    return el('table', { class: 'grid big' },
      el('thead', {}, el('tr', {}, act ? el('th', { class: 'ctl' }, selectBox) : null, el('th', { text: 'Status' }),
        el('th', { text: 'Host' }), el('th', { text: 'Service' }), el('th', { text: 'Duration' }),
        el('th', { text: 'Status Information' }), act && open ? el('th', { class: 'ctl' }) : null)),
      body);
  }

  const unsubscribe = live.subscribe(onEvent);
  window.addEventListener('resize', schedule);
  const ticker = setInterval(() => {
    for (const td of view.querySelectorAll('td[data-since]')) {
      const t = duration(since(Number(td.dataset.since)));
      if (td.textContent !== t) td.textContent = t;
    }
  }, 1000);
  const pager = rotate ? setInterval(() => {
    if (pages > 1) {
      page = (page + 1) % pages;
      schedule();
    }
  }, PAGE_MS) : null;
  loadAll().catch((e) => fill(unhandledBox, el('p', { class: 'msg error', text: 'Could not load: ' + e.message })));
  return () => {
    unsubscribe();
    clearInterval(ticker);
    if (pager) clearInterval(pager);
    if (summaryTimer) clearTimeout(summaryTimer);
    if (acksTimer) clearTimeout(acksTimer);
    window.removeEventListener('resize', schedule);
  };
}

/**
 * DOWN or UNREACHABLE for the Host Alive row of a host that is not UP (the host itself, shown as a
 * host, not as a CRITICAL service), else null.
 */
export function hostRowState(r) {
  if (r.service !== HOST_ALIVE || r.status === 'OK') return null;
  return /^HOST UNREACHABLE/.test(r.output || '') ? 'UNREACHABLE' : 'DOWN';
}

/**
 * Counts for a collector without /api/v1/summary: the problem rows already read, and the host
 * list (each host's number of services; its Host Alive row is one more).
 */
async function fallbackSummary(problems) {
  const hosts = await all('/api/v1/hosts');
  const services = { ok: 0, warning: 0, critical: 0, unknown: 0 };
  for (const p of problems) {
    if (p.service !== HOST_ALIVE) services[p.status.toLowerCase()]++;
  }
  const total = hosts.reduce((n, h) => n + h.services, 0);
  services.ok = Math.max(0, total - services.warning - services.critical - services.unknown);
  const down = hosts.filter((h) => h.state !== 'UP').length;
  return { hosts: { up: hosts.length - down, down, unreachable: 0 }, services };
}
