// (C) Explore: a policy's parameters and caps as a form (units and citations checked on
// bachelor_cap and the cap bachelor_combined), one parameter changed (mc_max_ects, 30 -> 40
// ECTS), the baseline and the draft run on the default cohort of 100,000 generated
// applications, the changed totals read, the draft downloadable; then a cap lowered, and
// the downloaded draft overrides the cap.

import { check, shot } from './harness.mjs';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
export default tests;

const parse = async (browser, id) => Number((await browser.text(id)).replaceAll(',', ''));

test('Explore: raising mc_max_ects changes the totals of 100,000 generated applications', async (ctx) => {
  const { browser, base } = ctx;
  await browser.go(`${base}/#explore`);
  await browser.waitFor('body[data-ready="true"] #param-mc_max_ects');
  const original = await browser.run("return document.getElementById('param-bachelor_cap').value");
  check(original === '60 ECTS', `bachelor_cap shows ${original}`);
  const label = await browser.text('label[for="param-bachelor_cap"]');
  check(/ects/i.test(label), `no unit in the label: ${label}`);
  check((await browser.text('#param-bachelor_cap-cite')).includes('MICRO-GEAR'), 'no citation under the parameter');
  // Every cap's limit is in the form too, with its unit, scope and citation.
  const cap = await browser.run("return document.getElementById('cap-bachelor_combined').value");
  check(cap === '60 ECTS', `cap bachelor_combined shows ${cap}`);
  check(/ECTS/.test(await browser.text('label[for="cap-bachelor_combined"]')), 'no unit on the cap');
  const capHint = await browser.text('#cap-bachelor_combined-cite');
  check(capHint.includes('at most bachelor_cap') && capHint.includes('MICRO-GEAR'), `cap hint: ${capHint}`);
  const share = await browser.text('label[for="cap-bachelor_share"]');
  check(share.includes('% of programme.total_ects'), `share cap label: ${share}`);
  check((await browser.run("return document.getElementById('cohort-size').value")) === '100000',
    'the default cohort is not 100,000');
  await browser.type('#param-mc_max_ects', '40');
  await browser.click('#explore-run');
  await browser.waitFor('#explore-totals', { timeout: 150000 });
  const baseline = await parse(browser, '#total-ects-baseline');
  const draft = await parse(browser, '#total-ects-draft');
  check(baseline > 0 && draft > baseline, `recognized ECTS did not rise: ${baseline} -> ${draft}`);
  const changed = await parse(browser, '#apps-changed');
  check(changed > 0, 'no application changed');
  check(!(await browser.run("return document.getElementById('explore-download').hidden")), 'no draft to download');
  const timing = await browser.text('#explore-timing');
  check(timing.includes('100,000 generated applications'), `timing: ${timing}`);
  // The page, once served, had the server decide the default cohort under the policy in
  // force: the run decides only the draft.
  check(timing.includes('the policy in force was decided before'), `timing: ${timing}`);
  console.log(`  # ${timing}`);
  await browser.run('window.scrollTo(0, 0)');
  await shot(browser, ctx, 'explore');
});

test('Explore: a cap lowered cuts the totals, and the draft overrides the cap', async (ctx) => {
  const { browser, base } = ctx;
  // A fresh page: the form as the policy states it (the last test changed mc_max_ects).
  await browser.go(`${base}/?fresh#explore`);
  await browser.waitFor('body[data-ready="true"] #cap-bachelor_combined');
  check((await browser.run("return document.getElementById('param-mc_max_ects').value")) === '30 ECTS',
    'mc_max_ects is not as the policy states it');
  await browser.fill('#cohort-size', '5000');
  await browser.type('#cap-bachelor_combined', '20');
  await browser.click('#explore-run');
  await browser.waitFor('#explore-summary', { text: 'cap.bachelor_combined = 20 ects', timeout: 60000 });
  const baseline = await parse(browser, '#total-ects-baseline');
  const draft = await parse(browser, '#total-ects-draft');
  check(draft < baseline, `recognized ECTS did not fall: ${baseline} -> ${draft}`);
  // What the download saves is shown under the results (the page's CSP lets no script
  // read the download's blob back).
  const text = await browser.run("return document.getElementById('explore-draft').textContent");
  check(/override cap bachelor_combined for micro_credential, vocational_l5 in bachelor\n\s+at most 20 ects/.test(text),
    `the draft does not override the cap:\n${text}`);
  check(text.includes('extends georgia'), 'the draft does not extend georgia');
});
