// Read (both): a policy's source with its sections and declarations, line by line; the
// policies it extends too. #read/POLICY/LINE/FILE opens a file at a line: each reason of
// a decision links here with its clause's location.

import { getJson } from '/ui/api.js';
import { clear, h } from '/ui/dom.js';

let els = {};
let source = null; // GET /v1/policies/{id}/source
let current = { policy: '', file: '', line: 0 };

export function mount(section, state) {
  const select = h('select', { id: 'read-policy' },
    state.policies.map((p) => h('option', { value: p.id }, `${p.id} ${p.version} (${p.jurisdiction})`)));
  const files = h('div', { class: 'actions', id: 'read-files', role: 'group', 'aria-label': 'Files of the policy' });
  const nav = h('nav', { 'aria-label': 'Sections of the policy', id: 'read-nav' });
  const code = h('div', { class: 'code-view', id: 'read-code', tabindex: '0', role: 'region', 'aria-label': 'Policy source' });
  clear(section,
    h('h1', { id: 'read-title' }, 'Read'),
    h('p', { class: 'lead' }, 'A policy as it is written: its sections, every parameter, rule and cap, and the policies it extends. ' +
      'A reason\u2019s clause in Decide opens here at its line.'),
    h('div', { class: 'panel' },
      h('div', { class: 'row' }, h('div', {}, h('label', { for: 'read-policy' }, 'Policy'), select)),
      files),
    h('div', { class: 'source' }, h('div', { class: 'panel' }, nav), code));
  els = { select, files, nav, code };
  select.addEventListener('change', () => { location.hash = `#read/${encodeURIComponent(select.value)}`; });
  current.policy = state.policies.find((p) => p.id === 'georgia')?.id || state.policies[0]?.id || '';
}

// [policy, line, file] from the fragment.
export async function show([policyId, line, file] = []) {
  const wanted = policyId || current.policy;
  if (!wanted) return;
  if (!source || source.id !== wanted) {
    source = await getJson(`/v1/policies/${encodeURIComponent(wanted)}/source`);
    els.select.value = wanted;
  }
  current = { policy: wanted, file: file || source.files[source.files.length - 1].file, line: Number(line) || 0 };
  render();
}

function render() {
  const file = source.files.find((f) => f.file === current.file) || source.files[source.files.length - 1];
  clear(els.files, h('span', { class: 'hint' }, 'Files:'), source.files.map((f) =>
    h('a', { href: `#read/${encodeURIComponent(source.id)}/0/${encodeURIComponent(f.file)}`,
      'aria-current': f === file ? 'true' : null, class: f === file ? 'file current' : 'file' }, f.file)));
  const link = (line, text, cls) => h('li', { class: cls },
    h('a', { href: `#read/${encodeURIComponent(source.id)}/${line}/${encodeURIComponent(file.file)}` }, text));
  const items = [];
  const decls = [...file.declarations];
  for (const s of file.sections) {
    items.push(link(s.line, s.title, s.level === 1 ? 'level-1' : 'sub'));
  }
  clear(els.nav,
    h('h2', {}, 'Sections'),
    items.length ? h('ul', {}, items) : h('p', { class: 'hint' }, 'No section headings.'),
    h('h2', {}, 'Declarations'),
    h('ul', { class: 'decls' }, decls.map((d) => link(d.line, `${d.kind} ${d.name}`, 'sub'))));
  const lines = file.text.split('\n');
  const fragment = document.createDocumentFragment();
  lines.forEach((text, i) => {
    const n = i + 1;
    const trimmed = text.trim();
    let cls = 'line';
    if (trimmed.startsWith('#')) cls += /^#\s*(===|---)/.test(trimmed) ? ' heading' : ' comment';
    if (n === current.line) cls += ' target';
    fragment.append(h('div', { class: cls, id: `L${n}` }, h('span', { class: 'no' }, String(n)), text || ' '));
  });
  els.code.replaceChildren(fragment);
  els.code.setAttribute('aria-label', `Source of ${file.file}${current.line ? `, at line ${current.line}` : ''}`);
  const target = current.line ? document.getElementById(`L${current.line}`) : null;
  if (target) {
    els.code.scrollTop = Math.max(0, target.offsetTop - els.code.offsetTop - 80);
    els.code.focus({ preventScroll: true });
  } else {
    els.code.scrollTop = 0;
  }
}
