// Small DOM and formatting helpers shared by every page. Text always goes in through
// textContent, never innerHTML, so report output cannot inject markup; and through safe(), so
// it cannot reorder the page (bidi controls) nor take the tab with its length.

/**
 * Longest string put on the page, in UTF-16 units: above the collector's default cut of output at
 * ingest (limits.output_size, 8 KB, plus its note), so it bounds what was stored before that (old
 * event history) or with a larger limit, and whatever else a page is given.
 */
export const MAX_TEXT = 10000;

// Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): one in a host,
// service or output string would reverse what follows it on the page.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * s as a string that is safe to show: cut to MAX_TEXT (never inside a surrogate pair) with the
 * number of characters left out said, and bidi controls shown as <U+202E> instead of obeyed.
 */
export function safe(s) {
  s = String(s);
  if (s.length > MAX_TEXT) {
    let end = MAX_TEXT;
    const c = s.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;
    s = s.slice(0, end) + '… [' + (s.length - end).toLocaleString('en') + ' more characters not shown]';
  }
  return s.replace(BIDI, (c) => '<U+' + c.charCodeAt(0).toString(16).toUpperCase() + '>');
}

/** el('td', {class: 'x', text: 'y', onclick: fn, title: 't'}, child...) */
export function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const k in attrs) {
      const v = attrs[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = safe(v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, k === 'title' ? safe(v) : v);
    }
  }
  for (const c of kids) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : safe(c));
  }
  return e;
}

/** Nagios order of badness: CRITICAL, UNKNOWN, WARNING, OK. */
export const SEVERITY = { CRITICAL: 3, UNKNOWN: 2, WARNING: 1, OK: 0 };

export function badge(status, extra) {
  return el('span', { class: 'badge st-' + status + (extra ? ' ' + extra : ''), text: status });
}

/** Seconds as "3d 4h", "2h 5m", "4m 10s", "12s". */
export function duration(s) {
  s = Math.max(0, Math.floor(s));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60), r = s % 60;
  if (d) return d + 'd ' + h + 'h';
  if (h) return h + 'h ' + m + 'm';
  if (m) return m + 'm ' + r + 's';
  return r + 's';
}

/** Seconds since an epoch-ms instant. */
export function since(ms) {
  return (Date.now() - ms) / 1000;
}

const pad = (n) => String(n).padStart(2, '0');

/** Epoch ms as local "2026-11-30 04:05:06". */
export function time(ms) {
  if (!ms) return '';
  const d = new Date(ms);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
    pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** Bytes in IEC units. */
export function bytes(n) {
  if (n === null || n === undefined) return '';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + ' ' + u[i];
}

export function num(n) {
  return Number(n || 0).toLocaleString('en');
}

// Node names never contain '/' (the wire format's host name rule), so this key is unambiguous.
export const key = (host, service) => host + '/' + service;

/** Unhandled (a problem not acknowledged, not in downtime, its host not DOWN): the server decides. */
export function unhandled(s) {
  return s.unhandled === true;
}

/** Problems first by severity, then the newest first. */
export function problemOrder(a, b) {
  return (SEVERITY[b.status] - SEVERITY[a.status]) || (b.last_change - a.last_change) ||
    (a.host < b.host ? -1 : a.host > b.host ? 1 : a.service < b.service ? -1 : 1);
}

/** Reads "#/page/arg?x=1" into {page, arg, params}. */
export function parseHash(hash) {
  const h = (hash || '').replace(/^#\/?/, '');
  const [path, query] = h.split('?');
  const parts = path.split('/').map(decodeURIComponent);
  return { page: parts[0] || 'ops', arg: parts.slice(1).join('/'), params: new URLSearchParams(query || '') };
}

export function hostLink(host) {
  return el('a', { href: '#/host/' + encodeURIComponent(host), text: host });
}

/** Replaces the children of a node. */
export function fill(node, ...kids) {
  node.replaceChildren(...kids.filter((k) => k !== null && k !== undefined && k !== false));
  return node;
}

export function message(text, cls) {
  return el('p', { class: 'msg ' + (cls || ''), text });
}
