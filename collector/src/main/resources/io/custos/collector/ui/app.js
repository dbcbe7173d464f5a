// Entry point: session (login page, kiosk link, logout), theme, and the hash router.
import { canAct, login, loginLink, logout, onUnauthorized, resume, session } from './api.js';
import * as live from './live.js';
import { setSound, soundOn } from './alarm.js';
import { el, fill, parseHash } from './util.js';
import * as ops from './ops.js';
import * as services from './services.js';
import * as host from './host.js';
import * as groups from './groups.js';
import * as events from './events.js';
import * as downtime from './downtime.js';
import * as backups from './backups.js';
import * as service from './service.js';
import * as acks from './acks.js';
import * as hostproblems from './hostproblems.js';
import * as proc from './process.js';
import * as servicegroups from './servicegroups.js';

const PAGES = {
  ops: ops.mount,
  services: services.mount,
  hosts: host.mountList,
  host: host.mount,
  groups: groups.mount,
  alerts: events.mountAlerts,
  notifications: events.mountNotifications,
  downtime: downtime.mount,
  backups: backups.mount,
  service: service.mount,
  acks: acks.mount,
  hostproblems: hostproblems.mountHostProblems,
  outages: hostproblems.mountOutages,
  process: proc.mount,
  servicegroups: servicegroups.mount,
};
// Pages that light up another page's tab.
const TAB = { host: 'hosts', service: 'services' };
const KIOSK = 'custos.kiosk';
const THEME = 'custos.theme';
// A theme named in the address (kiosk link #token=…&theme=dark, or ?theme=light) wins over the
// theme button for this tab only, so one wall screen can be dark without changing anyone else's.
const URL_THEME = 'custos.theme.url';
const view = document.getElementById('view');
let unmount = null;

function route() {
  if (!session.role) return;
  if (unmount) unmount();
  unmount = null;
  const r = parseHash(location.hash);
  const mount = PAGES[r.page] || PAGES.ops;
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('on', a.dataset.page === r.page || TAB[r.page] === a.dataset.page);
  }
  document.body.dataset.page = PAGES[r.page] ? r.page : 'ops';
  unmount = mount(view, r) || null;
}

function showLogin(reason) {
  live.stop();
  if (unmount) unmount();
  unmount = null;
  session.role = null;
  document.getElementById('bar').hidden = true;
  document.body.dataset.page = 'login';
  const err = el('p', { class: 'msg error', id: 'login-error', text: reason || '' });
  const input = el('input', { type: 'password', name: 'token', id: 'token', autocomplete: 'current-password', required: true,
    placeholder: 'custos-collector token create --role operator' });
  const form = el('form', { class: 'login', id: 'login' },
    el('h1', { text: 'Custos' }),
    el('label', { for: 'token', text: 'Access token' }), input, err,
    el('button', { type: 'submit', class: 'primary', id: 'login-submit', text: 'Log in' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      await login(input.value.trim());
      sessionStorage.removeItem(KIOSK);
      started();
    } catch (x) {
      err.textContent = x.status === 401 ? 'Wrong or revoked token.' : x.status === 403 ? 'Node tokens cannot log in here.' : x.message;
    }
  });
  fill(view, form);
  input.focus();
}

function started() {
  const kiosk = sessionStorage.getItem(KIOSK) === '1';
  document.body.classList.toggle('kiosk', kiosk);
  document.body.classList.toggle('readonly', !canAct());
  document.getElementById('who').textContent = (session.name || '') + ' (' + session.role + (kiosk ? ', kiosk' : '') + ')';
  document.getElementById('bar').hidden = false;
  live.start();
  route();
}

function applyTheme() {
  const t = sessionStorage.getItem(URL_THEME) || localStorage.getItem(THEME) || 'auto';
  if (t === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
  document.getElementById('theme').textContent = t === 'auto' ? 'theme: auto' : 'theme: ' + t;
}

function wireBar() {
  document.getElementById('theme').addEventListener('click', () => {
    const order = ['auto', 'dark', 'light'];
    const t = sessionStorage.getItem(URL_THEME) || localStorage.getItem(THEME) || 'auto';
    sessionStorage.removeItem(URL_THEME);
    localStorage.setItem(THEME, order[(order.indexOf(t) + 1) % order.length]);
    applyTheme();
  });
  const sound = document.getElementById('sound');
  const showSound = () => { sound.textContent = soundOn() ? 'sound on' : 'sound off'; };
  sound.addEventListener('click', () => {
    setSound(!soundOn());
    showSound();
  });
  showSound();
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await logout();
    } finally {
      showLogin('Logged out.');
    }
  });
}

/**
 * Kiosk link http://collector:8480/#token=SECRET: the fragment never reaches the server; it is
 * taken out of the address bar and history before anything else happens. True when it was one.
 */
function kioskLink() {
  const m = /^#token=([^&]+)/.exec(location.hash);
  if (!m) return false;
  urlTheme(new URLSearchParams(location.hash.slice(1)).get('theme'));
  history.replaceState(null, '', '/');
  login(decodeURIComponent(m[1])).then(() => {
    sessionStorage.setItem(KIOSK, '1');
    started();
  }, (x) => showLogin('The kiosk link was refused: ' + x.message));
  return true;
}

/** Remembers a theme named in the address for this tab; ignores anything but dark|light|auto. */
function urlTheme(t) {
  if (t === 'dark' || t === 'light' || t === 'auto') sessionStorage.setItem(URL_THEME, t);
  applyTheme();
}

const pad = (n) => String(n).padStart(2, '0');
const hms = (d) => pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());

/** The wall clock in the bar, 24-hour local time with the zone, and when data last came in. */
function clock() {
  const zone = new Intl.DateTimeFormat('en-GB', { timeZoneName: 'short' }).formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName');
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.getElementById('clock-zone').textContent = (zone ? zone.value : '') + (tz && zone && tz !== zone.value ? ' (' + tz + ')' : '');
  const tick = () => {
    const now = new Date();
    document.getElementById('clock-now').textContent = hms(now);
    const u = live.lastUpdate();
    document.getElementById('updated').textContent = u ? 'updated ' + hms(new Date(u)) + ' (' + Math.max(0, Math.round((now - u) / 1000)) + ' s ago)' : 'loading…';
  };
  tick();
  setInterval(tick, 1000);
}

/**
 * Login link http://collector:8480/#login=SECRET (custos-collector token login-link): like the
 * kiosk link, taken out of the address bar first; logs in with controls shown. True when it was one.
 */
function loginLinkHash() {
  const m = /^#login=([^&]+)/.exec(location.hash);
  if (!m) return false;
  history.replaceState(null, '', '/');
  loginLink(decodeURIComponent(m[1])).then(() => {
    sessionStorage.removeItem(KIOSK);
    started();
  }, (x) => showLogin(x.status === 401 ? 'This login link has expired or is not valid; ask for a new one, or log in with a token.'
    : 'The login link was refused: ' + x.message));
  return true;
}

async function boot() {
  urlTheme(new URLSearchParams(location.search).get('theme'));
  clock();
  wireBar();
  onUnauthorized(() => showLogin('Your session ended; log in again.'));
  window.addEventListener('hashchange', () => {
    if (!kioskLink() && !loginLinkHash()) route();
  });
  if (kioskLink() || loginLinkHash()) return;
  try {
    if (await resume()) return started();
  } catch (x) {
    return showLogin('The collector did not answer: ' + x.message);
  }
  showLogin();
}

boot();
