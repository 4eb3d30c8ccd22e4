// A minimal W3C WebDriver client over fetch (Node 18+), for ChromeDriver and Debian's
// Chromium: no npm dependency, no browser download. marionette.mjs's Firefox extends
// Browser and sends the same routes as Marionette commands. Processes it starts are killed by
// stopAll(), which the test runner calls on every way out.

import { spawn } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const children = [];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Starts a process in its own process group, so stopAll() also ends what it starts
// (ChromeDriver's Chromium, Firefox's content processes).
export function start(command, args, { onLine, env } = {}) {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: env || process.env });
  children.push(child);
  let buffered = '';
  const output = [];
  const take = (chunk) => {
    buffered += chunk.toString();
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      output.push(line);
      if (output.length > 200) output.shift();
      if (onLine) onLine(line);
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  child.output = output;
  return child;
}

export function stopAll() {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}

export async function startServer(mcre, args, timeoutMs = 20000) {
  let resolvePort;
  const port = new Promise((resolve) => { resolvePort = resolve; });
  const child = start(mcre, ['serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    onLine: (line) => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (m) resolvePort(Number(m[1]));
    },
  });
  const exited = new Promise((_, reject) =>
    child.on('exit', (code) => reject(new Error(`mcre serve exited (${code}):\n${child.output.join('\n')}`))));
  const timeout = sleep(timeoutMs).then(() => { throw new Error('mcre serve did not listen within 20 s'); });
  return { child, port: await Promise.race([port, exited, timeout]) };
}

export class Browser {
  static async open({ chromedriver = '/usr/bin/chromedriver', chromium = '/usr/bin/chromium',
                      width = 1200, height = 860 } = {}) {
    const port = await freePort();
    const driver = start(chromedriver, [`--port=${port}`, '--allowed-ips=127.0.0.1']);
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15000;
    for (;;) {
      try {
        const status = await (await fetch(`${base}/status`)).json();
        if (status.value && status.value.ready) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`chromedriver did not start:\n${driver.output.join('\n')}`);
      await sleep(100);
    }
    const profile = (await import('node:fs')).mkdtempSync('/tmp/mcre-e2e-profile-');
    const browser = new Browser(base, profile);
    const session = await browser.call('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'chrome',
          'goog:chromeOptions': {
            binary: chromium,
            // The network is closed: without these Chromium waits on lookups and updates.
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                   '--disable-background-networking', '--disable-component-update', '--disable-sync',
                   `--user-data-dir=${profile}`, `--window-size=${width},${height}`,
                   '--hide-scrollbars', '--lang=en-US', '--font-render-hinting=none'],
          },
        },
      },
    });
    browser.session = session.sessionId;
    browser.version = session.capabilities.browserVersion;
    return browser;
  }

  constructor(base, profile) {
    this.name = 'chromium';
    this.base = base;
    this.profile = profile;
  }

  async call(method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value && json.value.message}`);
    return json.value;
  }

  cmd(method, path, body) { return this.call(method, `/session/${this.session}${path}`, body); }

  async close() {
    if (this.session) await this.cmd('DELETE', '').catch(() => {});
    (await import('node:fs')).rmSync(this.profile, { recursive: true, force: true });
  }

  go(url) { return this.cmd('POST', '/url', { url }); }

  run(script, ...args) { return this.cmd('POST', '/execute/sync', { script, args }); }

  async find(css) {
    const found = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return found[ELEMENT];
  }

  // Waits until `css` matches a displayed element (and its text matches `text`, if given).
  async waitFor(css, { text, timeout = 15000 } = {}) {
    const deadline = Date.now() + timeout;
    let last = '';
    for (;;) {
      last = await this.run(
        `const el = document.querySelector(arguments[0]);
         if (!el || el.closest('[hidden]') || el.getClientRects().length === 0) return null;
         return el.innerText;`, css);
      if (last !== null && (!text || (text instanceof RegExp ? text.test(last) : last.includes(text)))) {
        return last;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${css}${text ? ` with text ${text}` : ''}; it shows: ${last}`);
      }
      await sleep(100);
    }
  }

  // Waits until `script` (a function body) returns a truthy value, and returns it.
  async waitUntil(script, { timeout = 15000, what = script } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await this.run(script);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  async click(css) {
    await this.waitFor(css);
    await this.cmd('POST', `/element/${await this.find(css)}/click`, {});
  }

  async type(css, text, { clear = true } = {}) {
    await this.waitFor(css);
    const id = await this.find(css);
    if (clear) await this.cmd('POST', `/element/${id}/clear`, {});
    await this.cmd('POST', `/element/${id}/value`, { text });
  }

  // Sets a form field the way a paste would (large texts typed key by key are slow).
  async fill(css, value) {
    await this.waitFor(css);
    await this.run(
      `const el = document.querySelector(arguments[0]); el.value = arguments[1];
       el.dispatchEvent(new Event('input', { bubbles: true }));
       el.dispatchEvent(new Event('change', { bubbles: true }));`, css, value);
  }

  async select(css, value) { await this.fill(css, value); }

  text(css) { return this.run('const el = document.querySelector(arguments[0]); return el ? el.innerText : null;', css); }

  // Keys as WebDriver actions: Tab, Enter and friends for keyboard tests.
  async keys(...keys) {
    const codes = { Tab: '\uE004', Enter: '\uE007', Space: '\uE00D', Escape: '\uE00C', Shift: '\uE008' };
    const actions = [];
    for (const k of keys) {
      const value = codes[k] || k;
      actions.push({ type: 'keyDown', value }, { type: 'keyUp', value });
    }
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  async screenshot(file) {
    const png = await this.cmd('GET', '/screenshot');
    (await import('node:fs')).writeFileSync(file, Buffer.from(png, 'base64'));
  }

  async setSize(width, height) { await this.cmd('POST', '/window/rect', { width, height }); }
}
