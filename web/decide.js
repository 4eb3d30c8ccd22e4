// Decide (officer): an application in, the decision out, per credential with every reason,
// its citation and the facts compared, what would change it, the cap ledger; overrides
// added with author and reason; the applicant's statement ready to print.

import { ApiError, request } from '/ui/api.js';
import { clear, fmtEcts, h, hideError, showError, statusLabel } from '/ui/dom.js';

let els = {};
let app = { policies: [] };
let last = null; // { decision, requestId, policy, body, yaml }

const FACTS = ['qa', 'nqf_level', 'eqf_level', 'field', 'programme_accredited',
  'institution_accredited', 'in_registry'];

export function mount(section, state) {
  app = state;
  const policySelect = h('select', { id: 'policy-select' },
    h('option', { value: '' }, 'By jurisdiction and date (automatic)'),
    state.policies.map((p) => h('option', { value: p.id },
      `${p.id} ${p.version} (${p.jurisdiction}${p.in_force_from ? `, from ${p.in_force_from}` : ''})`)));
  const text = h('textarea', {
    id: 'application-text', spellcheck: 'false', 'aria-describedby': 'application-help',
    placeholder: '{ "id": "app-1", "date": "2026-10-15", "jurisdiction": "GE", ... }',
  });
  const file = h('input', { id: 'application-file', type: 'file', accept: '.json,.yaml,.yml,application/json' });
  const drop = h('div', { class: 'drop', id: 'drop-zone' },
    'Or drop an application file (JSON or YAML) here.');
  const form = h('form', { id: 'decide-form', class: 'panel', 'aria-labelledby': 'decide-input-title' },
    h('h2', { id: 'decide-input-title' }, 'Application'),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'small', id: 'example-ge', onclick: () => loadExample('georgia') }, 'Georgian example'),
      h('button', { type: 'button', class: 'small', id: 'example-am', onclick: () => loadExample('armenia') }, 'Armenian example')),
    h('label', { for: 'application-text' }, 'Application (JSON or YAML)'),
    text,
    h('p', { id: 'application-help', class: 'hint' },
      'The application format is docs/input-format.md. Ctrl+Enter decides.'),
    h('label', { for: 'application-file' }, 'Open a file'),
    file, drop,
    h('label', { for: 'credential-file' }, 'Add a credential: Europass (ELM) or Open Badges 3.0'),
    h('input', { id: 'credential-file', type: 'file', accept: '.jsonld,.json,application/ld+json',
      'aria-describedby': 'credential-note' }),
    h('div', { id: 'credential-note', class: 'hint', role: 'status', 'aria-live': 'polite' }),
    h('label', { for: 'policy-select' }, 'Policy'),
    policySelect,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'decide-button' }, 'Decide')));
  const results = h('div', { id: 'decision', 'aria-live': 'polite', 'aria-busy': 'false' },
    h('div', { class: 'panel muted' }, 'The decision appears here.'));
  clear(section,
    h('h1', { id: 'decide-title' }, 'Decide'),
    h('p', { class: 'lead' }, 'Paste or open an application, decide it under the policy in force, ' +
      'read every reason with its citation, add an officer\u2019s override, and print the statement for the applicant.'),
    h('div', { class: 'grid-2' }, form, results),
    h('div', { id: 'statement', class: 'statement-wrap' }));
  els = { text, policySelect, results, form, file, drop };

  form.addEventListener('submit', (event) => { event.preventDefault(); decide(); });
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); decide(); }
  });
  file.addEventListener('change', () => file.files[0] && readFile(file.files[0]));
  const credentialFile = form.querySelector('#credential-file');
  credentialFile.addEventListener('change', () => credentialFile.files[0] && addCredential(credentialFile.files[0]));
  drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const dropped = event.dataTransfer.files[0];
    if (dropped && /\.jsonld$/i.test(dropped.name)) addCredential(dropped);
    else if (dropped) readFile(dropped);
  });
}

async function readFile(f) {
  els.text.value = await f.text();
  els.text.focus();
}

// An issued credential document, read by the server into the application format and
// added to the application's credentials; what it does not state is listed.
async function addCredential(f) {
  const note = document.getElementById('credential-note');
  const text = els.text.value;
  if (!text.trim() || isYaml(text)) {
    showError(new ApiError({ title: 'No JSON application to add to',
      detail: 'load or paste an application in JSON first (a YAML application can name the document in an elm: entry)' }, 0));
    return;
  }
  try {
    const doc = JSON.parse(text);
    const id = `e${(doc.credentials || []).filter((c) => /^e\d+$/.test(c.id)).length + 1}`;
    const { data } = await request('POST', `/v1/credentials/read?id=${id}`, { body: await f.text(), type: 'application/ld+json' });
    (doc.credentials ||= []).push(data.credential);
    els.text.value = JSON.stringify(doc, null, 2) + '\n';
    hideError();
    note.textContent = `Added ${id} (${data.format}: ${data.credential.title || 'untitled'}).` +
      (data.absent.length ? ` Not stated: ${data.absent.join(', ')}.` : '') +
      (data.remarks.length ? ` ${data.remarks.join(' ')}` : '') + ' Check its qa, provider_type and in_registry, then decide.';
  } catch (error) {
    showError(error instanceof SyntaxError ? new ApiError({ title: 'The application is not valid JSON', detail: error.message }, 0) : error);
  }
}

async function loadExample(name) {
  const res = await fetch(`/ui/example-${name}.json`);
  els.text.value = await res.text();
  els.policySelect.value = '';
}

const isYaml = (text) => !/^\s*[[{]/.test(text);

async function decide() {
  const body = els.text.value;
  if (!body.trim()) {
    showError(new ApiError({ title: 'No application', detail: 'paste an application (JSON or YAML) or open a file first' }, 0));
    els.text.focus();
    return;
  }
  const policy = els.policySelect.value;
  const query = policy ? `?policy=${encodeURIComponent(policy)}` : '';
  const yaml = isYaml(body);
  const type = yaml ? 'application/yaml' : 'application/json';
  els.results.setAttribute('aria-busy', 'true');
  const button = document.getElementById('decide-button');
  button.disabled = true;
  try {
    const { data, requestId } = await request('POST', `/v1/evaluate${query}`, { body, type });
    hideError();
    last = { decision: data, requestId, query, body, type };
    render();
  } catch (error) {
    showError(error);
    clear(els.results, h('div', { class: 'panel muted', id: 'decision-error' },
      'No decision: the application was not accepted (see the message above).'));
  } finally {
    button.disabled = false;
    els.results.setAttribute('aria-busy', 'false');
  }
}

function readLink(location, policyId) {
  if (!location) return null;
  const m = /^(.*):(\d+):(\d+)$/.exec(location);
  if (!m) return location;
  return h('a', { href: `#read/${encodeURIComponent(policyId)}/${m[2]}/${encodeURIComponent(m[1])}`, class: 'mono' }, location);
}

function renderReason(r, policyId) {
  return h('div', { class: 'reason' },
    h('div', {}, h('span', { class: `badge ${r.outcome || ''}` }, r.outcome || 'passed'), ' ',
      h('span', { class: 'code' }, r.code), ' ', h('span', { class: 'muted mono' }, r.rule)),
    r.message ? h('p', {}, r.message) : '',
    r.facts ? h('p', { class: 'facts' }, 'Facts: ', r.facts) : '',
    r.missing && r.missing.length ? h('p', { class: 'facts' }, 'Missing: ', r.missing.join(', ')) : '',
    r.override ? h('p', { class: 'facts' }, `Waived by override ${r.override.id} (${r.override.by})`) : '',
    r.cite ? h('p', { class: 'cite' }, r.cite, r.location ? [' \u2014 ', readLink(r.location, policyId)] : '') : '');
}

function renderCredential(c, policyId) {
  const changes = (c.counterfactuals || []).map((cf) =>
    h('li', {}, cf.changes.map((x) => x.words).join('; '), ` \u2192 ${statusLabel(cf.status)}, ${fmtEcts(cf.recognized_ects)}`));
  return h('article', { class: `panel credential ${c.status}`, 'aria-labelledby': `cred-${c.id}` },
    h('header', {},
      h('div', {},
        h('h3', { id: `cred-${c.id}` }, `${c.id}: ${c.title || ''}`),
        h('p', { class: 'muted' }, [c.awarding_body, c.issued].filter(Boolean).join(' \u00b7 '))),
      h('div', { class: 'ects' },
        h('span', { class: `badge ${c.status}` }, statusLabel(c.status)), ' ',
        fmtEcts(c.recognized_ects),
        c.claimed_ects !== null && c.claimed_ects !== undefined && c.claimed_ects !== c.recognized_ects
          ? h('span', { class: 'muted' }, ` of ${c.claimed_ects}`) : '')),
    c.workload_basis ? h('p', { class: 'facts muted' }, 'Workload: ', c.workload_basis) : '',
    c.level_basis ? h('p', { class: 'facts muted' }, 'Level: ', c.level_basis) : '',
    (c.reasons || []).map((r) => renderReason(r, policyId)),
    c.would_change && c.would_change.length
      ? h('div', { class: 'reason' }, h('h4', {}, 'What would change this decision'),
        h('ul', { class: 'plain' }, c.would_change.map((w) => h('li', {}, w)))) : '',
    changes.length ? h('div', { class: 'reason' }, h('h4', {}, 'Smallest changes that would get it through'),
      h('ul', { class: 'plain' }, changes)) : '',
    c.no_change_helps ? h('p', { class: 'facts' }, c.no_change_helps) : '',
    c.caps && c.caps.length ? h('p', { class: 'facts' }, 'Caps charged: ',
      c.caps.map((k) => `${k.cap} ${k.charged} (left ${k.remaining})`).join('; ')) : '',
    c.passed && c.passed.length ? h('details', {},
      h('summary', {}, `${c.passed.length} checks passed`),
      c.passed.map((r) => renderReason(r, policyId))) : '');
}

function renderLedger(ledger, policyId) {
  if (!ledger || !ledger.length) return '';
  return h('section', { class: 'panel', 'aria-labelledby': 'ledger-title' },
    h('h2', { id: 'ledger-title' }, 'Cap ledger'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Cap'), h('th', { class: 'num' }, 'Limit'),
        h('th', { class: 'num' }, 'Before'), h('th', { class: 'num' }, 'Used here'),
        h('th', { class: 'num' }, 'Left'), h('th', {}, 'Clause'))),
      h('tbody', {}, ledger.map((l) => h('tr', {},
        h('td', {}, l.cap, l.missing ? h('div', { class: 'hint' }, `needs ${l.missing}`) : ''),
        h('td', { class: 'num' }, l.limit ?? '\u2013'), h('td', { class: 'num' }, l.prior),
        h('td', { class: 'num' }, l.used), h('td', { class: 'num' }, l.remaining ?? '\u2013'),
        h('td', {}, readLink(l.location, policyId)))))));
}

function renderOverrides(list) {
  if (!list || !list.length) return '';
  return h('section', { class: 'panel', 'aria-labelledby': 'overrides-title', id: 'overrides-applied' },
    h('h2', { id: 'overrides-title' }, 'Officer\u2019s overrides'),
    h('ul', { class: 'plain' }, list.map((o) => h('li', {},
      h('strong', {}, `${o.id} `), h('span', { class: 'badge' }, statusLabel(o.status)), ' ',
      `${o.credential}: ${o.action} ${o.target}${o.value !== null && o.value !== undefined ? ` = ${o.value}` : ''} \u2014 ${o.author}, ${o.date}: ${o.reason}`,
      o.note ? h('div', { class: 'hint' }, o.note) : ''))));
}

function overrideForm(decision) {
  const credentials = decision.credentials.map((c) => c.id);
  const today = new Date().toISOString().slice(0, 10);
  const rules = new Set();
  for (const c of decision.credentials) for (const r of [...(c.reasons || []), ...(c.passed || [])]) {
    if (r.rule && r.rule.includes('.')) rules.add(r.rule.split('.').pop());
  }
  const kind = h('select', { id: 'override-kind' },
    h('option', { value: 'waive' }, 'Waive a check'), h('option', { value: 'set' }, 'Set a fact'));
  const target = h('input', { id: 'override-target', list: 'override-rules', required: true, autocomplete: 'off' });
  const value = h('input', { id: 'override-value', autocomplete: 'off' });
  const valueLabel = h('label', { for: 'override-value' }, 'Value of the fact');
  const targetLabel = h('label', { for: 'override-target' }, 'Check (rule, exclusion or exception)');
  const setVisibility = () => {
    const set = kind.value === 'set';
    value.parentElement.hidden = !set;
    targetLabel.textContent = set ? `Fact (${FACTS.join(', ')})` : 'Check (rule, exclusion or exception)';
    target.setAttribute('list', set ? 'override-facts' : 'override-rules');
  };
  kind.addEventListener('change', setVisibility);
  const form = h('form', { class: 'panel no-print', id: 'override-form', 'aria-labelledby': 'override-title' },
    h('h2', { id: 'override-title' }, 'Add an override'),
    h('p', { class: 'hint' }, 'An officer\u2019s judgement, kept with the decision (officer guide, section 15). The policy may forbid some.'),
    h('datalist', { id: 'override-rules' }, [...rules].sort().map((r) => h('option', { value: r }))),
    h('datalist', { id: 'override-facts' }, FACTS.map((f) => h('option', { value: f }))),
    h('div', { class: 'row' },
      h('div', {}, h('label', { for: 'override-credential' }, 'Credential'),
        h('select', { id: 'override-credential' }, credentials.map((id) => h('option', { value: id }, id)))),
      h('div', {}, h('label', { for: 'override-kind' }, 'Kind'), kind)),
    h('div', { class: 'row' }, h('div', {}, targetLabel, target), h('div', {}, valueLabel, value)),
    h('div', { class: 'row' },
      h('div', {}, h('label', { for: 'override-author' }, 'Author'), h('input', { id: 'override-author', required: true, autocomplete: 'name' })),
      h('div', {}, h('label', { for: 'override-date' }, 'Date'), h('input', { id: 'override-date', type: 'date', value: today, required: true }))),
    h('label', { for: 'override-reason' }, 'Reason'),
    h('input', { id: 'override-reason', required: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'override-add' }, 'Add override and decide again')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const o = {
      credential: form.querySelector('#override-credential').value,
      author: form.querySelector('#override-author').value.trim(),
      date: form.querySelector('#override-date').value,
      reason: form.querySelector('#override-reason').value.trim(),
    };
    if (kind.value === 'waive') o.waive = target.value.trim();
    else o.set = { [target.value.trim()]: parseValue(value.value.trim()) };
    addOverride(o);
  });
  setTimeout(setVisibility);
  return form;
}

function parseValue(text) {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function yamlScalar(v) {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

// The override goes into the application itself, where the decision log keeps it.
function addOverride(o) {
  let text = els.text.value;
  if (!isYaml(text)) {
    const doc = JSON.parse(text);
    (doc.overrides ||= []).push(o);
    text = JSON.stringify(doc, null, 2) + '\n';
  } else {
    const lines = [`  - credential: ${yamlScalar(o.credential)}`,
      o.waive ? `    waive: ${yamlScalar(o.waive)}` : `    set: { ${Object.keys(o.set)[0]}: ${yamlScalar(Object.values(o.set)[0])} }`,
      `    author: ${yamlScalar(o.author)}`, `    date: ${o.date}`, `    reason: ${yamlScalar(o.reason)}`];
    if (/^overrides:\s*$/m.test(text)) text = text.replace(/^overrides:\s*$/m, (m) => `${m}\n${lines.join('\n')}`);
    else text = `${text.replace(/\s*$/, '')}\noverrides:\n${lines.join('\n')}\n`;
  }
  els.text.value = text;
  decide();
}

async function openStatement() {
  const wrap = document.getElementById('statement');
  try {
    const { data } = await request('POST', `/v1/statement${last.query ? `${last.query}&` : '?'}format=html`,
      { body: last.body, type: last.type });
    const doc = new DOMParser().parseFromString(data, 'text/html');
    const article = h('article', { class: 'statement', lang: doc.documentElement.lang || 'en' });
    article.append(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
    for (const el of article.querySelectorAll('[style]')) el.removeAttribute('style');
    clear(wrap,
      h('div', { class: 'actions no-print' },
        h('button', { type: 'button', class: 'primary', id: 'print-statement', onclick: printStatement }, 'Print'),
        h('button', { type: 'button', onclick: () => clear(wrap) }, 'Close')),
      article);
    wrap.scrollIntoView({ block: 'start' });
    document.getElementById('print-statement').focus();
  } catch (error) {
    showError(error);
  }
}

function printStatement() {
  document.body.classList.add('printing-statement');
  window.print();
  document.body.classList.remove('printing-statement');
}

function render() {
  const { decision: d, requestId } = last;
  const t = d.totals || {};
  const counts = Object.entries(t.credentials_by_status || {})
    .map(([s, n]) => h('span', { class: `badge ${s}` }, `${n} ${statusLabel(s)}`));
  clear(els.results,
    h('section', { class: 'panel', 'aria-labelledby': 'decision-title', id: 'decision-summary' },
      h('h2', { id: 'decision-title' }, `Decision for ${d.application.id}`),
      h('p', { class: 'muted' }, `${d.policy.title} \u2014 ${d.policy.id} ${d.policy.version}`),
      h('div', { class: 'summary' },
        h('div', { class: 'figure', id: 'total-ects' }, fmtEcts(t.recognized_ects), h('small', {}, 'recognized in total')),
        h('div', {}, counts)),
      h('p', { class: 'hint' }, 'Request id ', h('code', { id: 'request-id' }, requestId || '\u2013'),
        ': the decision log holds the decision under this id when the server runs with --decision-log.'),
      h('div', { class: 'actions no-print' },
        h('button', { type: 'button', id: 'open-statement', onclick: openStatement }, 'Statement for the applicant'))),
    d.credentials.map((c) => renderCredential(c, d.policy.id)),
    renderLedger(d.cap_ledger, d.policy.id),
    renderOverrides(d.overrides),
    overrideForm(d));
  clear(document.getElementById('statement'));
}
