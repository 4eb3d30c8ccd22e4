// Firefox for the same tests as Chromium: Debian 12 ships firefox-esr but no geckodriver, so
// this speaks Marionette, Firefox's own remote protocol, over a TCP socket. Firefox is started
// with --marionette --headless and a fresh profile whose marionette.port is 0: it picks a free
// port and writes it to the profile's MarionetteActivePort file. A message is LEN:JSON (LEN
// in bytes); a command is [0, id, "WebDriver:Name", params], its reply [1, id, error, result].
//
// Firefox extends webdriver.mjs's Browser and only replaces cmd(): a WebDriver route of the
// session (POST /url, POST /element/ID/click, ...) is sent as the Marionette command of the
// same name, so waitFor, click, type, keys, screenshot and a test's own browser.cmd(...) work
// unchanged. A route not in ROUTES is an error naming it, to be added here.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Browser, start } from './webdriver.mjs';

// [method, path pattern, Marionette command, params from (body, ...captures)]
const ROUTES = [
  ['POST', /^\/url$/, 'WebDriver:Navigate', (b) => b],
  ['POST', /^\/execute\/sync$/, 'WebDriver:ExecuteScript', (b) => b],
  ['POST', /^\/element$/, 'WebDriver:FindElement', (b) => b],
  ['POST', /^\/element\/([^/]+)\/click$/, 'WebDriver:ElementClick', (b, id) => ({ id })],
  ['POST', /^\/element\/([^/]+)\/clear$/, 'WebDriver:ElementClear', (b, id) => ({ id })],
  // A file input takes a path this way too (Marionette sets the file, as geckodriver does).
  ['POST', /^\/element\/([^/]+)\/value$/, 'WebDriver:ElementSendKeys', (b, id) => ({ id, text: b.text })],
  ['POST', /^\/actions$/, 'WebDriver:PerformActions', (b) => b],
  ['DELETE', /^\/actions$/, 'WebDriver:ReleaseActions', () => ({})],
  // The viewport, as WebDriver's GET /screenshot (Marionette's default is the whole page).
  ['GET', /^\/screenshot$/, 'WebDriver:TakeScreenshot', () => ({ full: false })],
  ['GET', /^\/window\/rect$/, 'WebDriver:GetWindowRect', () => ({})],
  ['POST', /^\/window\/rect$/, 'WebDriver:SetWindowRect', (b) => b],
  ['DELETE', /^$/, 'WebDriver:DeleteSession', () => ({})],
];

// Preferences for a closed network and a quiet start; Marionette adds its own recommended
// ones (no updates, no first-run pages, ...). marionette.port 0: a free port, written to
// MarionetteActivePort.
const PREFS = {
  'marionette.port': 0,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.page': 0,
  'browser.startup.homepage': 'about:blank',
  'browser.newtabpage.enabled': false,
  'browser.sessionstore.resume_from_crash': false,
  'browser.tabs.warnOnClose': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.disabledForTesting': true,
  'app.normandy.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.proxy.type': 0,
  'intl.accept_languages': 'en-US',
  // One CSS pixel to one device pixel, and scrollbars that take no room (Chromium runs with
  // --hide-scrollbars): the page is laid out on the whole width in both browsers.
  'layout.css.devPixelsPerPx': '1.0',
  'ui.useOverlayScrollbars': 1,
};

// A Marionette connection: commands one after another, each reply matched by its id.
class Connection {
  static open(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const connection = new Connection(socket);
      socket.once('error', reject);
      // The server speaks first: {"applicationType":"gecko","marionetteProtocol":3}.
      connection.pending.set('hello', { resolve: (hello) => { socket.off('error', reject); resolve([connection, hello]); }, reject });
    });
  }

  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.pending = new Map();
    this.id = 0;
    this.closed = null;
    socket.on('data', (chunk) => this.take(chunk));
    const fail = (why) => {
      this.closed = why;
      for (const { reject } of this.pending.values()) reject(new Error(`Marionette: ${why}`));
      this.pending.clear();
    };
    socket.on('error', (error) => fail(error.message));
    socket.on('close', () => fail('the connection closed'));
  }

  take(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('latin1'));
      if (this.buffer.length < colon + 1 + length) return;
      const message = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(colon + 1 + length);
      const key = Array.isArray(message) ? message[1] : 'hello';
      const waiter = this.pending.get(key);
      if (!waiter) continue;
      this.pending.delete(key);
      if (!Array.isArray(message)) waiter.resolve(message);
      else if (message[2]) waiter.reject(Object.assign(new Error(message[2].message), { marionette: message[2] }));
      else waiter.resolve(message[3]);
    }
  }

  send(name, params = {}) {
    if (this.closed) return Promise.reject(new Error(`Marionette ${name}: ${this.closed}`));
    const id = ++this.id;
    const text = JSON.stringify([0, id, name, params]);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${Buffer.byteLength(text)}:${text}`);
    });
  }
}

export class Firefox extends Browser {
  static async open({ firefox = process.env.MCRE_E2E_FIREFOX || '/usr/bin/firefox-esr', width = 1200, height = 860 } = {}) {
    if (!fs.existsSync(firefox)) {
      throw new Error(`${firefox} not found: scripts/setup.sh installs firefox-esr (or set MCRE_E2E_FIREFOX)`);
    }
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mcre-e2e-firefox-'));
    fs.writeFileSync(path.join(profile, 'user.js'),
      Object.entries(PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));
    const child = start(firefox, ['--marionette', '--headless', '--no-remote', '--new-instance',
      '--profile', profile, 'about:blank'], {
      env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_HEADLESS: '1' },
    });
    // Marionette writes its port once it listens; Firefox's start-up is slow on a busy machine.
    const portFile = path.join(profile, 'MarionetteActivePort');
    const deadline = Date.now() + 60000;
    let port = 0;
    while (!port) {
      try { port = Number(fs.readFileSync(portFile, 'utf8').trim()); } catch { /* not yet */ }
      if (port) break;
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        throw new Error(`Firefox did not start Marionette (${child.exitCode ?? child.signalCode ?? 'timeout'}):\n`
          + child.output.join('\n'));
      }
      await sleep(100);
    }
    const [connection, hello] = await Connection.open(port);
    if (hello.marionetteProtocol !== 3) throw new Error(`Marionette protocol ${hello.marionetteProtocol}, not 3`);
    const browser = new Firefox(connection, profile, child);
    const session = await connection.send('WebDriver:NewSession', {
      capabilities: { alwaysMatch: { acceptInsecureCerts: false, pageLoadStrategy: 'normal' } },
    });
    browser.session = session.sessionId;
    browser.version = session.capabilities.browserVersion;
    // The window's size, as Chromium's --window-size (headless, Chromium's viewport is then
    // 1200x717 and Firefox's 1200x774).
    await browser.setSize(width, height);
    return browser;
  }

  constructor(connection, profile, child) {
    super(null, profile);
    this.name = 'firefox';
    this.connection = connection;
    this.child = child;
  }

  // A WebDriver route of the session, sent as its Marionette command; the answer is what
  // WebDriver's HTTP reply carries in `value`.
  async cmd(method, route, body = {}) {
    for (const [m, pattern, name, params] of ROUTES) {
      const match = m === method && pattern.exec(route);
      if (!match) continue;
      let result;
      try {
        result = await this.connection.send(name, params(body, ...match.slice(1)));
      } catch (error) {
        throw new Error(`Marionette ${name} (WebDriver ${method} ${route}): ${error.message}`);
      }
      // Marionette wraps a command's value in {value}; objects (a rect, a session) come bare.
      if (result && typeof result === 'object' && Object.keys(result).length === 1 && 'value' in result) {
        return result.value;
      }
      return result;
    }
    throw new Error(`marionette.mjs: no Marionette command for WebDriver ${method} ${route} (add it to ROUTES)`);
  }

  async close() {
    if (this.session) await this.cmd('DELETE', '').catch(() => {});
    await this.connection.send('Marionette:Quit', { flags: ['eForceQuit'] }).catch(() => {});
    const deadline = Date.now() + 10000;
    while (this.child.exitCode === null && this.child.signalCode === null && Date.now() < deadline) await sleep(100);
    try { process.kill(-this.child.pid, 'SIGKILL'); } catch { /* gone, with its content processes */ }
    fs.rmSync(this.profile, { recursive: true, force: true });
  }
}
