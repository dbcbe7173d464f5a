// Optional flash and sound on a new unhandled CRITICAL. Sound is off unless switched on (the
// browser also needs one click on the page before it may play audio).
const SOUND = 'custos.sound';
let ctx = null;

export function soundOn() {
  return localStorage.getItem(SOUND) === 'on';
}

export function setSound(on) {
  localStorage.setItem(SOUND, on ? 'on' : 'off');
}

export function alarm() {
  document.body.classList.remove('flash');
  void document.body.offsetWidth;
  document.body.classList.add('flash');
  setTimeout(() => document.body.classList.remove('flash'), 3000);
  if (!soundOn()) return;
  try {
    ctx = ctx || new AudioContext();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.2, ctx.currentTime);
    g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.6);
  } catch (e) {
    // no audio device: the flash is enough
  }
}
