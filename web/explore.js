// Explore (policymaker): a policy's parameters as a form built from the policy itself;
// change any, run the policy in force and the draft against a generated or uploaded
// cohort, and read them side by side. The draft downloads as a policy file that extends
// the one in force.

import { getJson, postJson } from '/ui/api.js';
import { clear, fmtInt, h, hideError, showError, statusLabel } from '/ui/dom.js';

let els = {};
let policy = null; // GET /v1/policies/{id}
let lastRun = null;

export function mount(section, state) {
  const select = h('select', { id: 'explore-policy' },
    state.policies.map((p) => h('option', { value: p.id }, `${p.id} ${p.version} (${p.jurisdiction})`)));
  const params = h('div', { class: 'params', id: 'explore-params', role: 'group', 'aria-labelledby': 'params-title' });
  const size = h('input', { id: 'cohort-size', type: 'number', min: 1, max: 1000000, step: 1, value: 100000 });
  const seed = h('input', { id: 'cohort-seed', type: 'number', min: 0, step: 1, value: 1 });
  const upload = h('input', { id: 'cohort-file', type: 'file', accept: '.jsonl,.ndjson,application/x-ndjson' });
  const form = h('form', { class: 'panel', id: 'explore-form', 'aria-labelledby': 'explore-form-title' },
    h('h2', { id: 'explore-form-title' }, 'Policy and draft'),
    h('label', { for: 'explore-policy' }, 'Policy in force (the baseline)'), select,
    h('h3', { id: 'params-title' }, 'Parameters'),
    h('p', { class: 'hint' }, 'Change a value to draft an amendment; a number takes the parameter\u2019s unit.'),
    params,
    h('fieldset', {},
      h('legend', {}, 'Cohort'),
      h('div', { class: 'row' },
        h('div', {}, h('label', { for: 'cohort-size' }, 'Generated applications'), size),
        h('div', {}, h('label', { for: 'cohort-seed' }, 'Seed'), seed)),
      h('label', { for: 'cohort-file' }, 'Or upload a cohort (JSON Lines, one application a line)'), upload),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'explore-run' }, 'Run baseline and draft'),
      h('button', { type: 'button', id: 'explore-reset' }, 'Reset values'),
      h('a', { id: 'explore-download', hidden: true, download: 'draft.policy', href: '#' }, 'Download the draft policy')));
  const results = h('div', { id: 'explore-results', 'aria-live': 'polite', 'aria-busy': 'false' },
    h('div', { class: 'panel muted' }, 'The baseline and the draft appear here side by side.'));
  clear(section,
    h('h1', { id: 'explore-title' }, 'Explore'),
    h('p', { class: 'lead' }, 'Try a parameter of a policy on a whole cohort: totals, distributions, ' +
      'the decisions that flip and the rules that bind, the policy in force against the draft.'),
    h('div', { class: 'grid-2' }, form, results));
  els = { select, params, size, seed, upload, form, results };
  select.addEventListener('change', () => loadPolicy(select.value));
  form.addEventListener('submit', (event) => { event.preventDefault(); run(); });
  document.getElementById('explore-reset').addEventListener('click', () => loadPolicy(select.value));
  const preferred = state.policies.find((p) => p.id === 'georgia') || state.policies[0];
  if (preferred) {
    select.value = preferred.id;
    return loadPolicy(preferred.id);
  }
  return undefined;
}

async function loadPolicy(id) {
  policy = await getJson(`/v1/policies/${encodeURIComponent(id)}`);
  const rows = policy.parameters.map((p) => field({
    id: `param-${p.name}`, name: p.name, value: p.value, original: p.value,
    label: [p.name, ' ', h('span', { class: 'unit' }, `(${p.unit || p.type})`),
      p.origin && p.origin !== policy.id ? h('span', { class: 'cite' }, ` from ${p.origin}`) : ''],
    hint: p.cite || 'no citation',
  }));
  // Each cap's limit: a number of ECTS, or a share for a cap written as a share of the
  // programme; a bare number takes the cap's unit. A limit that is not one number (the
  // programme's own cap, min(...)) shows as written and is replaced by the number typed.
  const caps = (policy.caps || []).map((c) => field({
    id: `cap-${c.name}`, name: c.setting, value: c.value ?? '', original: c.value ?? '',
    placeholder: c.value === null ? c.limit : undefined, unit: c.unit === '%' ? '%' : 'ects',
    label: ['cap ', c.name, ' ', h('span', { class: 'unit' }, c.share_of ? `(% of ${c.share_of})` : '(ECTS)'),
      c.origin && c.origin !== policy.id ? h('span', { class: 'cite' }, ` from ${c.origin}`) : ''],
    hint: `${[c.credential_kinds.join(', ') || 'every credential', c.programme_kinds.length ? `in ${c.programme_kinds.join(', ')}` : '',
      c.when ? `when ${c.when}` : ''].filter(Boolean).join(' ')}: at most ${c.limit}. ${c.cite || 'no citation'}`,
  }));
  clear(els.params, rows,
    caps.length ? h('h4', { id: 'caps-title' }, 'Caps') : '', caps);
  document.getElementById('explore-download').hidden = true;
}

function field({ id, name, value, original, placeholder, unit, label, hint }) {
  const input = h('input', { id, name, value, placeholder, 'data-original': original, 'data-unit': unit,
    autocomplete: 'off', 'aria-describedby': `${id}-cite` });
  const row = h('div', { class: 'param' },
    h('label', { for: id }, label),
    input,
    h('p', { class: 'hint', id: `${id}-cite` }, hint));
  input.addEventListener('input', () => row.classList.toggle('changed', input.value.trim() !== original));
  return row;
}

function settings() {
  const out = {};
  for (const input of els.params.querySelectorAll('input')) {
    let value = input.value.trim();
    if (value === input.dataset.original) continue;
    // A cap's bare number takes the cap's unit: 90 is 90 ects, 30 on a share is 30 %.
    if (input.dataset.unit && /^[0-9]+(\.[0-9]+)?$/.test(value)) value = `${value} ${input.dataset.unit}`;
    out[input.name] = value;
  }
  return out;
}

async function run() {
  const body = { policy: els.select.value, settings: settings(), most_changed: 5 };
  if (els.upload.files[0]) body.cohort = { jsonl: await els.upload.files[0].text() };
  else body.cohort = { generate: { size: Number(els.size.value), seed: Number(els.seed.value) } };
  const button = document.getElementById('explore-run');
  button.disabled = true;
  els.results.setAttribute('aria-busy', 'true');
  const started = performance.now();
  try {
    lastRun = await postJson('/v1/simulate', body);
    lastRun.roundTrip = (performance.now() - started) / 1000;
    hideError();
    render(lastRun);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
    els.results.setAttribute('aria-busy', 'false');
  }
}

const n1 = (x, digits = 1) => Number(x).toLocaleString('en', { maximumFractionDigits: digits });

function delta(a, b, digits = 1) {
  const d = b - a;
  if (Math.abs(d) < 1e-9) return h('span', { class: 'delta' }, '\u00b10');
  return h('span', { class: `delta ${d > 0 ? 'up' : 'down'}` }, `${d > 0 ? '+' : '\u2212'}${n1(Math.abs(d), digits)}`);
}

function totals(r) {
  const t = r.total;
  const avg = (e) => (t.applications ? e / t.applications : 0);
  const row = (label, a, b, id, digits) => h('tr', {},
    h('th', { scope: 'row' }, label),
    h('td', { class: 'num', id: id && `${id}-baseline` }, n1(a, digits)),
    h('td', { class: 'num', id: id && `${id}-draft` }, n1(b, digits)),
    h('td', { class: 'num' }, delta(a, b, digits)));
  return h('section', { class: 'panel', 'aria-labelledby': 'totals-title', id: 'explore-totals' },
    h('h2', { id: 'totals-title' }, 'Totals'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { class: 'num' }, 'In force'), h('th', { class: 'num' }, 'Draft'), h('th', { class: 'num' }, 'Change'))),
      h('tbody', {},
        row('Recognized ECTS', t.baseline_ects, t.reform_ects, 'total-ects', 1),
        row('ECTS per application', avg(t.baseline_ects), avg(t.reform_ects), 'avg-ects', 3))),
    h('p', {}, h('strong', { id: 'apps-changed' }, fmtInt(t.applications_changed)),
      ` of ${fmtInt(t.applications)} applications change (${fmtInt(t.applications_gaining)} gain, ${fmtInt(t.applications_losing)} lose); `,
      `${fmtInt(t.credentials_changed)} of ${fmtInt(t.credentials)} credentials.`));
}

function distribution(r) {
  const bins = r.baseline_distribution.map((b, i) => ({ bin: b.bin, a: b.count, b: r.reform_distribution[i]?.count || 0 }));
  const max = Math.max(1, ...bins.map((x) => Math.max(x.a, x.b)));
  const bar = (count, cls) => h('div', { class: `bar ${cls}`, style: null, 'data-w': count / max });
  const table = h('table', { class: 'bars' },
    h('caption', { class: 'hint' }, 'Recognized ECTS per application: in force (blue) and draft (orange)'),
    h('thead', {}, h('tr', {}, h('th', {}, 'ECTS'), h('th', { class: 'num' }, 'In force'), h('th', { class: 'num' }, 'Draft'), h('th', {}, ''))),
    h('tbody', {}, bins.map((x) => h('tr', {},
      h('th', { scope: 'row' }, x.bin), h('td', { class: 'num' }, fmtInt(x.a)), h('td', { class: 'num' }, fmtInt(x.b)),
      h('td', { class: 'barcell' }, bar(x.a, 'baseline'), bar(x.b, 'reform'))))));
  // Widths by CSSOM, not a style attribute: the page's CSP allows no inline styles.
  for (const el of table.querySelectorAll('.bar')) el.style.width = `${Math.round(Number(el.dataset.w) * 100)}%`;
  return h('section', { class: 'panel', 'aria-labelledby': 'dist-title' }, h('h2', { id: 'dist-title' }, 'Distribution'), table);
}

function flips(r) {
  if (!r.flips.length) return h('section', { class: 'panel', 'aria-labelledby': 'flips-title' },
    h('h2', { id: 'flips-title' }, 'Decisions that flip'), h('p', { class: 'muted', id: 'no-flips' }, 'No credential changes status.'));
  return h('section', { class: 'panel', 'aria-labelledby': 'flips-title' },
    h('h2', { id: 'flips-title' }, 'Decisions that flip'),
    h('table', { id: 'flip-matrix' },
      h('thead', {}, h('tr', {}, h('th', {}, 'In force'), h('th', {}, 'Draft'), h('th', { class: 'num' }, 'Credentials'), h('th', {}, 'Because of (example)'))),
      h('tbody', {}, r.flips.map((f) => h('tr', {},
        h('td', {}, h('span', { class: `badge ${f.from}` }, statusLabel(f.from))),
        h('td', {}, h('span', { class: `badge ${f.to}` }, statusLabel(f.to))),
        h('td', { class: 'num' }, fmtInt(f.count)),
        h('td', {}, f.by_cause.map((c) => h('div', {}, `${c.cause}: ${fmtInt(c.count)} `,
          h('span', { class: 'hint' }, `(${c.witness.application} ${c.witness.credential})`)))))))));
}

function binding(r) {
  const rows = [...r.deciding].sort((a, b) => (b.baseline + b.reform) - (a.baseline + a.reform));
  return h('section', { class: 'panel', 'aria-labelledby': 'binding-title' },
    h('h2', { id: 'binding-title' }, 'Binding rules'),
    h('p', { class: 'hint' }, 'How often each rule or cap decided a credential\u2019s outcome.'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Rule or cap'), h('th', {}, 'Code'), h('th', { class: 'num' }, 'In force'), h('th', { class: 'num' }, 'Draft'), h('th', { class: 'num' }, 'Change'))),
      h('tbody', {}, rows.map((d) => h('tr', {},
        h('td', { class: 'mono' }, d.rule), h('td', { class: 'mono' }, d.code),
        h('td', { class: 'num' }, fmtInt(d.baseline)), h('td', { class: 'num' }, fmtInt(d.reform)),
        h('td', { class: 'num' }, delta(d.baseline, d.reform)))))));
}

function cases(r) {
  if (!r.most_changed || !r.most_changed.length) return '';
  return h('section', { class: 'panel', 'aria-labelledby': 'cases-title' },
    h('h2', { id: 'cases-title' }, 'Most-changed applications'),
    r.most_changed.map((c) => h('details', {},
      h('summary', {}, `${c.application} (${c.programme_kind}): ${n1(c.baseline_ects)} \u2192 ${n1(c.reform_ects)} ECTS`),
      h('div', { class: 'grid-even' },
        h('div', {}, h('h3', {}, 'In force'), h('pre', { class: 'explain' }, c.baseline_explanation)),
        h('div', {}, h('h3', {}, 'Draft'), h('pre', { class: 'explain' }, c.reform_explanation))))));
}

function render(run) {
  const r = run.report;
  const changed = Object.entries(run.settings);
  const download = document.getElementById('explore-download');
  if (run.draft) {
    download.href = URL.createObjectURL(new Blob([run.draft.text], { type: 'text/plain' }));
    download.download = run.draft.file;
    download.hidden = false;
  } else {
    download.hidden = true;
  }
  clear(els.results,
    h('section', { class: 'panel', id: 'explore-summary' },
      h('h2', {}, `${r.baseline} against ${changed.length ? 'the draft' : 'itself'}`),
      h('p', {}, changed.length ? `Changed: ${changed.map(([k, v]) => `${k} = ${v}`).join(', ')}` : 'No parameter changed: change one on the left to draft an amendment.'),
      h('p', { class: 'hint', id: 'explore-timing' },
        `${fmtInt(run.cohort.applications)} ${run.cohort.source} applications, ` +
        `${run.baseline_cached ? 'the draft decided (the policy in force was decided before)' : 'in force and draft decided'} ` +
        `in ${run.seconds.toFixed(2)} s on the server (${run.threads} threads; ${run.roundTrip.toFixed(2)} s with the transfer)`,
        r.bad_records ? `; ${fmtInt(r.bad_records)} records left out: ${r.bad_examples.join('; ')}` : '')),
    totals(r), distribution(r), flips(r), binding(r), cases(r),
    run.draft ? h('section', { class: 'panel', 'aria-labelledby': 'draft-title' },
      h('h2', { id: 'draft-title' }, 'The draft policy'),
      h('details', {}, h('summary', {}, `${run.draft.file}: what Download the draft policy saves`),
        h('pre', { class: 'explain', id: 'explore-draft' }, run.draft.text))) : '');
}
