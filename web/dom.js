// Small DOM helpers: elements are built with text nodes only, never from HTML strings.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export const fmtEcts = (n) =>
  n === null || n === undefined ? '–' : `${Number(n).toLocaleString('en', { maximumFractionDigits: 2 })} ECTS`;

export const fmtInt = (n) => Number(n).toLocaleString('en');

export const statusLabel = (s) => (s || '').replaceAll('_', ' ');

// The page-wide error banner: what went wrong, where, and how to fix it.
export function showError(error) {
  const alert = document.getElementById('alert');
  const p = error.problem || { title: 'Error', detail: String(error.message || error) };
  const where = [];
  if (p.pointer) where.push(`at ${p.pointer}`);
  if (p.line) where.push(`line ${p.line}, column ${p.column}`);
  const items = (p.errors || []).map((e) =>
    h('li', {}, e.line ? `${e.line}:${e.column}: ` : '', e.detail, e.code ? ` [${e.code}]` : '',
      e.hint ? h('span', { class: 'hint' }, ` — ${e.hint}`) : ''));
  clear(alert,
    h('strong', {}, p.title || 'Error'),
    h('p', {}, p.detail || '', where.length ? ` (${where.join('; ')})` : ''),
    items.length > 1 ? h('ul', {}, items) : '',
    p.hint ? h('p', { class: 'hint' }, p.hint) : '');
  alert.hidden = false;
}

export function hideError() {
  document.getElementById('alert').hidden = true;
}
