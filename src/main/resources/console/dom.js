// Building the page without innerHTML: every value becomes a text node or a property, so data can never become
// markup or script (an account named <img src=x onerror=...> shows as those characters).
import { t, term } from './messages.js';

/** An element: h('a', {href: '#/x', class: 'y', onclick: fn}, 'text', child, ...). Null children are skipped. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name in element && typeof element[name] === 'boolean') element[name] = Boolean(value);
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function show(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A labelled form field whose problem+json detail appears beside it (see showProblem). */
export function field(name, label, input) {
  input.id = input.id || `field-${name}`;
  input.name = name;
  return h('div', { class: 'field', 'data-field': name },
    h('label', { for: input.id }, label), input,
    h('div', { class: 'field-problem', id: `problem-${name}`, role: 'alert' }));
}

/** Shows an API problem beside the field it names, or else in the form's general message area. */
export function showProblem(form, problem) {
  form.querySelectorAll('.field-problem').forEach((slot) => slot.replaceChildren());
  form.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
  const general = form.querySelector('.form-message');
  if (general) general.replaceChildren();
  if (!problem) return;
  const text = problem.detail || problem.title || t('common.error');
  const slot = problem.field ? form.querySelector(`[data-field="${CSS.escape(problem.field)}"] .field-problem`) : null;
  if (slot) {
    slot.textContent = text;
    const input = form.querySelector(`[name="${CSS.escape(problem.field)}"]`);
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
  } else if (general) {
    general.className = 'form-message error';
    general.textContent = text;
  }
}

export function message(text, kind = 'info') {
  return h('div', { class: `form-message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/**
 * A table with a header row; rows are arrays of cells (strings or nodes). Each cell carries its column's header
 * (data-label), which a phone's layout shows beside the value, one row a card.
 */
export function table(headers, rows, caption) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, rows.length ? rows.map((cells) => h('tr', {}, cells.map((cell, i) => h('td', {
      'data-label': headers[i] }, h('span', { class: 'cell' }, cell)))))
      : h('tr', {}, h('td', { colspan: headers.length }, t('common.notFound'))))));
}

/** Marks a button busy (disabled, "Working…") while work runs, so it shows progress and cannot be pressed twice. */
async function whileBusy(button, work) {
  const before = button?.textContent;
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = t('common.working');
  }
  try {
    return await work();
  } finally {
    if (button) {
      button.textContent = before;
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}

/** A button that shows progress while its action runs and cannot be pressed twice meanwhile. */
export function actionButton(label, action, attributes = {}) {
  const button = h('button', { type: 'button', ...attributes }, label);
  button.addEventListener('click', () => whileBusy(button, action));
  return button;
}

/**
 * A form's submit: its submit button shows progress while the action runs, and a problem the API answers appears
 * beside the field it names (or in the form's message area).
 */
export function onSubmit(form, action) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showProblem(form, null);
    return whileBusy(form.querySelector('button[type="submit"]'), async () => {
      try {
        await action();
      } catch (problem) {
        if (!problem.problem) throw problem;
        showProblem(form, problem.problem);
      }
    });
  });
  return form;
}

/** A secret shown once, with a copy button. */
export function shownOnce(label, secret, id) {
  const value = h('code', { class: 'secret', id }, secret);
  const copy = h('button', { type: 'button' }, t('common.copy'));
  copy.addEventListener('click', async () => {
    await navigator.clipboard?.writeText(secret);
    copy.textContent = t('common.copied');
  });
  return h('div', { class: 'shown-once', role: 'status' }, h('strong', {}, label), ' ', value, ' ', copy,
    h('p', { class: 'hint' }, t('common.shownOnce')));
}

export function time(value) {
  if (!value) return t('common.none');
  const date = new Date(typeof value === 'number' ? value * 1000 : value);
  return h('time', { datetime: date.toISOString(), title: date.toISOString() }, date.toLocaleString());
}

export function age(value) {
  if (!value) return t('common.none');
  const seconds = Math.max(0, Math.round((Date.now() - new Date(value).getTime()) / 1000));
  const text = seconds < 90 ? t('common.seconds', seconds) : seconds < 5400
    ? t('common.minutes', Math.round(seconds / 60)) : seconds < 172800 ? t('common.hours', Math.round(seconds / 3600))
      : t('common.days', Math.round(seconds / 86400));
  return t('common.ago', text);
}

export function badge(text, kind) {
  return h('span', { class: `badge badge-${kind || text}` }, text);
}

/** A state the API names (outcome, job state, resolution), in the console's language, coloured by the state. */
export function stateBadge(value, kind) {
  return badge(term(value), kind || value);
}
