// End-to-end tests of the workbench (docs/workbench.md) in Debian's Chromium, driven over
// WebDriver by ChromeDriver, or in Debian's Firefox ESR, driven over Marionette
// (marionette.mjs), against `mcre serve` on a free loopback port. The same tests run in both.
//
//   node tests/e2e/workbench.test.mjs --mcre build/mcre --source . --out build/e2e
//   node tests/e2e/workbench.test.mjs --browser firefox --mcre build/mcre --source . --out build/e2e-firefox
//
// --browser chromium|firefox (or MCRE_E2E_BROWSER; chromium when neither is given).
// Each test prints "ok N - name" or "not ok N - name" and the reason; the exit code is 1 when
// any failed. Screenshots go to --out; with UPDATE_SCREENSHOTS=1 they are also written to
// docs/images/workbench-*.png. The whole run is bounded (--timeout seconds, default 240).

import fs from 'node:fs';
import path from 'node:path';

import { Firefox } from './marionette.mjs';
import { Browser, startServer, stopAll } from './webdriver.mjs';

// Every *.e2e.mjs file beside this one exports its tests, run in the order of the names.
const here = path.dirname(new URL(import.meta.url).pathname);
const files = fs.readdirSync(here).filter((f) => f.endsWith('.e2e.mjs')).sort();
const tests = [];
for (const f of files) tests.push(...(await import(path.join(here, f))).default);

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const mcre = path.resolve(args.mcre || 'build/mcre');
const source = path.resolve(args.source || '.');
const out = path.resolve(args.out || 'e2e-out');
const only = args.only ? new RegExp(args.only) : null;
const browsers = { chromium: Browser, firefox: Firefox };
const browserName = args.browser || process.env.MCRE_E2E_BROWSER || 'chromium';
if (!browsers[browserName]) {
  console.error(`e2e: --browser ${browserName}: not a browser the tests drive; use chromium or firefox`);
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });

const deadline = setTimeout(() => {
  console.error(`e2e: the run took more than ${args.timeout || 240} s; stopping`);
  stopAll();
  process.exit(1);
}, Number(args.timeout || 240) * 1000);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { stopAll(); process.exit(1); });
process.on('exit', stopAll);

// ---------------------------------------------------------------------------------------
// The runner: one server and one browser for every test, each test from a fresh page.

async function main() {
  const policies = path.join(source, 'policies');
  const { port } = await startServer(mcre, ['--policies', policies, '--access-log', path.join(out, 'access.log')]);
  const base = `http://127.0.0.1:${port}`;
  const opened = Date.now();
  const browser = await browsers[browserName].open();
  console.log(`# ${browserName} ${browser.version}, started in ${Date.now() - opened} ms`);
  let failed = 0;
  let n = 0;
  try {
    for (const t of tests) {
      if (only && !only.test(t.name)) continue;
      ++n;
      const started = Date.now();
      try {
        await browser.go('about:blank');
        await t.fn({ browser, base, source, out, mcre });
        console.log(`ok ${n} - ${t.name} (${Date.now() - started} ms)`);
      } catch (error) {
        ++failed;
        console.log(`not ok ${n} - ${t.name}\n  ${String(error.stack || error).replaceAll('\n', '\n  ')}`);
        await browser.screenshot(path.join(out, `failed-${n}.png`)).catch(() => {});
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`1..${n}\n${failed === 0 ? 'all passed' : `${failed} failed`}`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => {
  clearTimeout(deadline);
  stopAll();
  process.exit(code);
}, (error) => {
  console.error(`e2e: ${error.stack || error}`);
  stopAll();
  process.exit(1);
});
