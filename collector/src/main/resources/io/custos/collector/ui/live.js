// Live updates: one EventSource on /api/v1/stream (server-sent events, cookie auth). Pages
// subscribe; after the stream comes back (a collector restart, a network blip) every subscriber
// gets {type: 'resync'} and re-reads its lists once.

const subscribers = new Set();
let source = null;
// The server sends changes from the moment a stream opens; what changed between a page's first
// read and that moment would be missed, so the first open counts as a reconnect too.
let lost = true;
let retry = null;
let indicator = null;
let updated = 0;

/** When the screen last got data (a list read or a live event), epoch ms; 0 before any. */
export function lastUpdate() {
  return updated;
}

/** A page read its lists: the screen is current as of now. */
export function touched() {
  updated = Date.now();
}

export function subscribe(fn) {
  subscribers.add(fn);
  return () => subscribers.delete(fn);
}

function emit(ev) {
  if (ev.type !== 'resync') updated = Date.now();
  for (const fn of [...subscribers]) {
    try {
      fn(ev);
    } catch (e) {
      console.warn('live update handler failed', e);
    }
  }
}

function show(on) {
  if (!indicator) indicator = document.getElementById('live');
  if (!indicator) return;
  indicator.textContent = on ? 'live' : 'reconnecting';
  indicator.className = 'live ' + (on ? 'on' : 'off');
}

export function start() {
  if (source) source.close();
  source = null;
  source = new EventSource('/api/v1/stream');
  source.onopen = () => {
    show(true);
    if (lost) {
      lost = false;
      emit({ type: 'resync' });
    }
  };
  // A collector that says when its feed is current (`event: ready`) gets one more re-read then:
  // a change between `open` and that moment reaches no stream.
  source.addEventListener('ready', () => emit({ type: 'resync' }));
  source.onerror = () => {
    show(false);
    lost = true;
    // EventSource retries by itself after a dropped connection; after an HTTP error (the
    // collector answering 502/503 while it starts) it gives up, so start a new one.
    if (source && source.readyState === EventSource.CLOSED && !retry) {
      retry = setTimeout(() => {
        retry = null;
        start();
      }, 2000);
    }
  };
  for (const type of ['service', 'host', 'removed', 'alert']) {
    source.addEventListener(type, (e) => {
      let data;
      try {
        data = JSON.parse(e.data);
      } catch (err) {
        console.warn('bad ' + type + ' event', e.data);
        return;
      }
      emit({ type, data });
    });
  }
}

export function stop() {
  if (source) source.close();
  source = null;
  if (retry) clearTimeout(retry);
  retry = null;
}
