// (A) The skeleton: the embedded files and their headers, the page in a browser, the
// landmarks and the keyboard.

import fs from 'node:fs';
import path from 'node:path';

import { check } from './harness.mjs';
import { startServer } from './webdriver.mjs';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
export default tests;

test('GET / and /ui/* serve the embedded files with their types and a strict CSP', async ({ base }) => {
  const page = await fetch(`${base}/`);
  check(page.status === 200, `GET / answered ${page.status}`);
  check(page.headers.get('content-type') === 'text/html; charset=utf-8', `GET / is ${page.headers.get('content-type')}`);
  const csp = page.headers.get('content-security-policy') || '';
  check(csp.includes("default-src 'none'") && csp.includes("script-src 'self'") && !csp.includes('unsafe'),
    `the CSP is not strict: ${csp}`);
  check((await page.text()).includes('<main id="main"'), 'GET / is not the workbench page');
  const js = await fetch(`${base}/ui/app.js`);
  check(js.headers.get('content-type') === 'text/javascript; charset=utf-8', `app.js is ${js.headers.get('content-type')}`);
  const css = await fetch(`${base}/ui/app.css`);
  check(css.headers.get('content-type') === 'text/css; charset=utf-8', `app.css is ${css.headers.get('content-type')}`);
  for (const bad of ['/ui/nothing.js', '/ui/..%2f..%2fetc%2fpasswd', '/ui/a/app.js', '/ui/%2e%2e/CMakeLists.txt']) {
    const res = await fetch(`${base}${bad}`);
    check(res.status === 404, `GET ${bad} answered ${res.status}, not 404`);
  }
  const post = await fetch(`${base}/ui/app.js`, { method: 'POST', body: '', headers: { 'Content-Length': '0' } });
  check(post.status === 405, `POST /ui/app.js answered ${post.status}, not 405`);
});

test('the page loads, lists the policies and is usable from the keyboard', async ({ browser, base }) => {
  await browser.go(`${base}/`);
  await browser.waitFor('#server-status', { text: /\d+ policies loaded/ });
  await browser.waitFor('body[data-ready="true"] #view-decide');
  // Tab from the top: the skip link first, then the brand-free tabs.
  await browser.keys('Tab');
  check((await browser.run('return document.activeElement.className')) === 'skip', 'the first Tab does not reach the skip link');
  await browser.keys('Tab', 'Tab', 'Enter');
  await browser.waitFor('#view-explore');
  check((await browser.run('return location.hash')) === '#explore', 'Enter on the Explore tab did not open it');
  const landmarks = await browser.run(
    "return ['header','nav','main','footer'].map((t) => document.querySelectorAll(t).length)");
  check(landmarks.every((n) => n === 1), `landmarks: ${landmarks}`);
});


test('with --api-keys the page loads without a key, asks for it once and then works', async ({ browser, source, out, mcre }) => {
  const keys = path.join(out, 'keys.txt');
  fs.writeFileSync(keys, '# e2e\nwb-e2e-key-123\n');
  const { child, port } = await startServer(mcre, ['--policies', path.join(source, 'policies'), '--api-keys', keys,
    '--access-log', path.join(out, 'access-keys.log')]);
  try {
    const base = `http://127.0.0.1:${port}`;
    check((await fetch(`${base}/`)).status === 200, 'the page needs a key');
    check((await fetch(`${base}/v1/policies`)).status === 401, 'the API does not need a key');
    await browser.go(`${base}/`);
    await browser.waitFor('#key-dialog[open] #key-input');
    await browser.type('#key-input', 'wb-e2e-key-123');
    await browser.keys('Enter');
    await browser.waitFor('#server-status', { text: /\d+ policies loaded/ });
    check(await browser.run("return sessionStorage.getItem('mcre.apiKey')") === 'wb-e2e-key-123', 'the key is not kept for the tab');
  } finally {
    process.kill(-child.pid, 'SIGKILL');
  }
});
