// (B) Decide: an example application decided, a reason with its citation, an override
// added with author and reason and the decision re-evaluated, the statement opened and
// printed, and errors shown for malformed input.

import { check, shot } from './harness.mjs';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
export default tests;

async function decideExample(browser, base) {
  await browser.go(`${base}/#decide`);
  await browser.waitFor('body[data-ready="true"] #example-ge');
  await browser.click('#example-ge');
  await browser.waitUntil("return document.getElementById('application-text').value.includes('app-2026-0001')",
    { what: 'the Georgian example' });
  await browser.click('#decide-button');
  await browser.waitFor('#decision-summary', { text: 'Decision for app-2026-0001' });
}

test('Decide: the example is decided, each credential with its status, reasons and citations', async (ctx) => {
  const { browser, base } = ctx;
  await decideExample(browser, base);
  check((await browser.text('#total-ects')).startsWith('20 ECTS'), `total: ${await browser.text('#total-ects')}`);
  const partial = await browser.text('.credential.partially_recognized');
  check(partial.includes('CAP_BACHELOR_COMBINED') && partial.includes('MICRO-GEAR White Paper (GE) s. 5(m)'),
    `the capped credential does not show its reason and citation: ${partial}`);
  check(partial.includes('What would change this decision'), 'no "what would change" for the capped credential');
  const ledger = await browser.text('#ledger-title');
  check(ledger === 'Cap ledger', 'no cap ledger');
  check(/\S/.test(await browser.text('#request-id')), 'no request id shown');
  await browser.run('window.scrollTo(0, 0)');
  // The Georgian learner name is in the application; the statement shows it later.
  await shot(browser, ctx, 'decide');
});

test('Decide: an override with author and reason is added and the decision re-evaluated', async (ctx) => {
  const { browser, base } = ctx;
  await decideExample(browser, base);
  const before = await browser.run("return document.getElementById('cred-c5').closest('article').innerText");
  check(before.includes('WORKLOAD'), `c5 is not refused for its workload: ${before}`);
  await browser.select('#override-credential', 'c5');
  await browser.select('#override-kind', 'waive');
  await browser.type('#override-target', 'workload');
  await browser.type('#override-author', 'N. Beridze');
  await browser.type('#override-reason', 'the issuer confirmed 30 ECTS of assessed work in writing');
  await browser.click('#override-add');
  await browser.waitFor('#overrides-applied', { text: 'N. Beridze' });
  const text = await browser.run("return document.getElementById('application-text').value");
  check(JSON.parse(text).overrides[0].author === 'N. Beridze', 'the override is not in the application');
  const overrides = await browser.text('#overrides-applied');
  check(/o1/.test(overrides) && overrides.includes('the issuer confirmed'), `overrides: ${overrides}`);
  // Decided again: with the workload check waived, the exhausted cap decides c5 instead,
  // and the override is reported as unnecessary.
  const after = await browser.run("return document.getElementById('cred-c5').closest('article').innerText");
  check(after.includes('CAP_BACHELOR_COMBINED') && !after.includes('WORKLOAD '), `c5 after the override: ${after}`);
  check(/unnecessary/i.test(overrides), `the override's effect is not reported: ${overrides}`);
  await browser.run("document.getElementById('overrides-applied').scrollIntoView()");
  await shot(browser, ctx, 'override');
});

test('Decide: the statement for the applicant opens ready to print', async (ctx) => {
  const { browser, base } = ctx;
  await decideExample(browser, base);
  await browser.click('#open-statement');
  await browser.waitFor('.statement', { text: 'How to ask for a review' });
  const statement = await browser.text('.statement');
  check(statement.includes('ნინო ბერიძე'), 'the Georgian name is not in the statement');
  check(statement.includes('app-2026-0001'), 'the statement does not name the application');
  await browser.run('window.printed = 0; window.print = () => { window.printed += document.body.classList.contains("printing-statement") ? 1 : 100; };');
  await browser.click('#print-statement');
  check(await browser.run('return window.printed') === 1, 'Print did not print the statement alone');
  await shot(browser, ctx, 'statement');
});

test('Decide: malformed input shows where it is wrong and how to fix it', async (ctx) => {
  const { browser, base } = ctx;
  await browser.go(`${base}/#decide`);
  await browser.waitFor('body[data-ready="true"] #application-text');
  await browser.fill('#application-text', '{\n  "id": "app-1",\n  "date": 2026-10-15\n}');
  await browser.click('#decide-button');
  const alert = await browser.waitFor('#alert', { text: 'not valid JSON' });
  check(/line 3, column/.test(alert), `no position in: ${alert}`);
  await browser.waitFor('#decision-error');
  // YAML that reads but is not an application: 422 with the field and a hint.
  await browser.fill('#application-text', 'id: app-2\ndate: 2026-02-30\njurisdiction: GE\n');
  await browser.click('#decide-button');
  const schema = await browser.waitFor('#alert', { text: 'does not match the schema' });
  check(/2026-02-30|date/.test(schema), `the schema error does not name the date: ${schema}`);
  await shot(browser, ctx, 'error');
});

test('Decide: a Europass credential document is added to the application and decided', async (ctx) => {
  const { browser, base, source } = ctx;
  await browser.go(`${base}/#decide`);
  await browser.waitFor('body[data-ready="true"] #example-ge');
  await browser.click('#example-ge');
  await browser.waitUntil("return document.getElementById('application-text').value.includes('app-2026-0001')",
    { what: 'the Georgian example' });
  // A file input takes a path from WebDriver, as a user's file choice.
  const input = await browser.find('#credential-file');
  await browser.cmd('POST', `/element/${input}/value`, { text: `${source}/examples/elm/gtu-network-security.jsonld` });
  await browser.waitFor('#credential-note', { text: 'Added e1 (ELM: Network Security for SMEs)' });
  const app = JSON.parse(await browser.run("return document.getElementById('application-text').value"));
  check(app.credentials.at(-1).id === 'e1' && app.credentials.at(-1).ects === 6, 'the credential is not in the application');
  await browser.click('#decide-button');
  await browser.waitFor('#cred-e1', { text: 'Network Security for SMEs' });
});
