// (C) Explore: a policy's parameters as a form (units and citations checked on
// bachelor_cap), one changed (mc_max_ects, 30 -> 40 ECTS), the baseline and the draft
// run on a generated cohort of 100,000, the changed totals read, the draft downloadable.

import { check, shot } from './harness.mjs';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
export default tests;

test('Explore: raising mc_max_ects changes the totals of 100,000 generated applications', async (ctx) => {
  const { browser, base } = ctx;
  await browser.go(`${base}/#explore`);
  await browser.waitFor('body[data-ready="true"] #param-mc_max_ects');
  const original = await browser.run("return document.getElementById('param-bachelor_cap').value");
  check(original === '60 ECTS', `bachelor_cap shows ${original}`);
  const label = await browser.text('label[for="param-bachelor_cap"]');
  check(/ects/i.test(label), `no unit in the label: ${label}`);
  check((await browser.text('#param-bachelor_cap-cite')).includes('MICRO-GEAR'), 'no citation under the parameter');
  await browser.type('#param-mc_max_ects', '40');
  await browser.fill('#cohort-size', '100000');
  await browser.click('#explore-run');
  await browser.waitFor('#explore-totals', { timeout: 150000 });
  const parse = async (id) => Number((await browser.text(id)).replaceAll(',', ''));
  const baseline = await parse('#total-ects-baseline');
  const draft = await parse('#total-ects-draft');
  check(baseline > 0 && draft > baseline, `recognized ECTS did not rise: ${baseline} -> ${draft}`);
  const changed = await parse('#apps-changed');
  check(changed > 0, 'no application changed');
  check(!(await browser.run("return document.getElementById('explore-download').hidden")), 'no draft to download');
  const timing = await browser.text('#explore-timing');
  check(timing.includes('100,000 generated applications'), `timing: ${timing}`);
  console.log(`  # ${timing}`);
  await browser.run('window.scrollTo(0, 0)');
  await shot(browser, ctx, 'explore');
});
