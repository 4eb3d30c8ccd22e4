// (D) Read: a decision's reason opens the policy source at the line of its clause.

import { check, shot } from './harness.mjs';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
export default tests;

test('Read: a reason\'s clause opens the policy at its line, with the sections listed', async (ctx) => {
  const { browser, base } = ctx;
  await browser.go(`${base}/#decide`);
  await browser.waitFor('body[data-ready="true"] #example-ge');
  await browser.click('#example-ge');
  await browser.waitUntil("return document.getElementById('application-text').value.includes('app-2026-0001')",
    { what: 'the Georgian example' });
  await browser.click('#decide-button');
  await browser.waitFor('#decision-summary');
  const href = await browser.run(
    "return document.querySelector('.credential.partially_recognized .reason .cite a').getAttribute('href')");
  check(/^#read\/georgia\/\d+\/.*policies%2Fgeorgia\.policy$/.test(href), `the clause links to ${href}`);
  const line = href.split('/')[2];
  await browser.click('.credential.partially_recognized .reason .cite a');
  const target = await browser.waitFor(`#L${line}.target`);
  check(target.includes('bachelor_combined'), `line ${line} is not the cap: ${target}`);
  check((await browser.text('#read-nav')).includes('Parameters'), 'the sections are not listed');
  check((await browser.text('#read-files')).includes('eu-baseline.policy'), 'the extended policy is not offered');
  await shot(browser, ctx, 'read');
});
