// The collector's JSON API over the session cookie (POST /api/v1/session). State-changing calls
// carry the session's CSRF token in X-CSRF-Token.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const MARK = 'custos.session';
export const session = { role: null, name: null, csrf: null, kiosk: false };
let unauthorized = () => {};

export function onUnauthorized(fn) {
  unauthorized = fn;
}

export function canAct() {
  return session.role === 'operator' || session.role === 'admin';
}

/** GET/POST/DELETE a route; JSON in and out. With {total:true} returns {data, total}. */
export async function api(path, opts = {}) {
  const method = opts.method || 'GET';
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  const r = await fetch(path, init);
  if (r.status === 401 && !opts.quiet) {
    unauthorized();
  }
  if (!r.ok) {
    let msg = r.statusText;
    try {
      msg = (await r.json()).error || msg;
    } catch (e) {
      // not JSON
    }
    throw new ApiError(r.status, msg);
  }
  const data = r.status === 204 ? null : await r.json();
  if (opts.total) {
    const t = r.headers.get('X-Total-Count');
    return { data, total: t === null ? (Array.isArray(data) ? data.length : 0) : Number(t) };
  }
  return data;
}

function remember(s) {
  session.role = s.role;
  session.name = s.name || s.role;
  session.csrf = s.csrf;
  localStorage.setItem(MARK, '1');
}

/** Exchanges a token for a session cookie. */
export async function login(token) {
  const s = await api('/api/v1/session', { method: 'POST', body: { token }, quiet: true });
  remember(s);
  return s;
}

/** Exchanges a login link's secret (#login=…) for a session cookie. */
export async function loginLink(link) {
  const s = await api('/api/v1/session', { method: 'POST', body: { link }, quiet: true });
  remember(s);
  return s;
}

/**
 * The current session, or null. Asks the server only when this browser logged in before, so a
 * first visit shows the login page without a failing request.
 */
export async function resume() {
  if (!localStorage.getItem(MARK)) return null;
  try {
    const s = await api('/api/v1/session', { quiet: true });
    remember(s);
    return s;
  } catch (e) {
    if (e.status === 401 || e.status === 403) {
      localStorage.removeItem(MARK);
      return null;
    }
    throw e;
  }
}

export async function logout() {
  try {
    await api('/api/v1/session', { method: 'DELETE', quiet: true });
  } finally {
    localStorage.removeItem(MARK);
    sessionStorage.removeItem('custos.kiosk');
    session.role = session.csrf = session.name = null;
  }
}

/** Every row of a paginated list, 10,000 at a time. */
export async function all(path) {
  const sep = path.includes('?') ? '&' : '?';
  let out = [];
  for (let offset = 0; ; offset += 10000) {
    const { data, total } = await api(path + sep + 'limit=10000&offset=' + offset, { total: true });
    out = out.concat(data);
    if (out.length >= total || data.length === 0) return out;
  }
}
