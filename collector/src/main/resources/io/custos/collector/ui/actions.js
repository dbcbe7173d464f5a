// Acknowledge and downtime dialogs, shared by the operations, service and host pages.
import { api } from './api.js';
import { el } from './util.js';

function dialog(title, body, submitText, onSubmit) {
  const err = el('p', { class: 'msg error' });
  const form = el('form', { method: 'dialog', class: 'dlg-form' }, el('h2', { text: title }), ...body, err,
    el('div', { class: 'row' },
      el('button', { type: 'submit', class: 'primary', text: submitText }),
      el('button', { type: 'button', text: 'Cancel', onclick: () => d.close() })));
  const d = el('dialog', { class: 'dlg' }, form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      await onSubmit(new FormData(form));
      d.close();
    } catch (x) {
      err.textContent = x.message;
    }
  });
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  d.showModal();
  const first = form.querySelector('input,textarea');
  if (first) first.focus();
  return d;
}

/**
 * Acknowledge one or more problems, each {host, service}. One target posts the single form; more
 * post the list form ({"targets": [...]}).
 */
export function acknowledge(targets, done) {
  const what = targets.length === 1 ? targets[0].host + ' / ' + targets[0].service
    : targets.length + ' problems';
  dialog('Acknowledge ' + what, [
    el('label', {}, 'Comment', el('textarea', { name: 'comment', required: true, rows: 3, id: 'ack-comment' })),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'sticky', checked: true, id: 'ack-sticky' }),
      ' Sticky (stays until the service is OK, not just until the next state change)'),
  ], 'Acknowledge', async (f) => {
    const comment = f.get('comment');
    const sticky = f.get('sticky') === 'on';
    if (targets.length === 1) {
      await api('/api/v1/acks', { method: 'POST', body: { ...targets[0], comment, sticky } });
    } else {
      await api('/api/v1/acks', { method: 'POST', body: { targets, comment, sticky } });
    }
    if (done) done();
  });
}

/** Schedule downtime for {host, service} or {group}; one-off (start + duration) or weekly. */
export function downtime(target, done) {
  const label = target.group ? 'group ' + target.group
    : target.host + (target.service ? ' / ' + target.service : '');
  const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  dialog('Schedule downtime for ' + label, downtimeFields(now), 'Schedule', async (f) => {
    await api('/api/v1/downtimes', { method: 'POST', body: downtimeBody(target, f) });
    if (done) done();
  });
}

export function downtimeFields(now) {
  return [
    el('label', { class: 'check' }, el('input', { type: 'radio', name: 'kind', value: 'once', checked: true }), ' One-off'),
    el('label', {}, 'Start', el('input', { type: 'datetime-local', name: 'start', value: now })),
    el('label', {}, 'Duration', el('input', { name: 'duration', value: '2h', pattern: '[0-9]+[smhd]', title: 'e.g. 30m, 2h, 1d' })),
    el('label', { class: 'check' }, el('input', { type: 'radio', name: 'kind', value: 'weekly' }), ' Recurring weekly'),
    el('label', {}, 'Weekly window', el('input', { name: 'weekly', placeholder: 'sun 01:00-03:00' })),
    el('label', {}, 'Comment', el('input', { name: 'comment', id: 'dt-comment' })),
  ];
}

export function downtimeBody(target, f) {
  const body = {};
  for (const k of ['host', 'service', 'group']) if (target[k]) body[k] = target[k];
  body.comment = f.get('comment') || '';
  if (f.get('kind') === 'weekly') {
    body.weekly = f.get('weekly');
  } else {
    const start = f.get('start');
    if (start) body.start = new Date(start).toISOString();
    body.duration = f.get('duration') || '2h';
  }
  return body;
}
