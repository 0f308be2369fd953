#!/usr/bin/env node
// Headless-browser test of the envmon dashboard: starts `envmon demo` (or, with ENVMON_FIXTURE=1,
// the web/dev fixture server), opens the page in Debian's chromium through playwright-core, and
// checks that the station markers and a time-series chart appear and that selecting another
// station updates the side panel. Missing prerequisites are failures, never skips.
//
//   node dashboard.test.mjs --envmon PATH [--port N] [--out-dir DIR] [--chromium PATH]
//                           [--demo-arg ARG]...
// Environment: ENVMON_BIN, ENVMON_PORT, ENVMON_TEST_OUT, CHROMIUM, ENVMON_FIXTURE=1.

import { spawn } from 'node:child_process';
import { accessSync, constants, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const kSetupHint =
  "Run the README's test command, scripts/test, which installs and builds them " +
  '(or by hand: npm --prefix web ci && npm --prefix web run build && npm --prefix tests/browser ci).';
const kReadyTimeoutMs = 60_000;
const kUiTimeoutMs = 60_000;
const kMinMarkers = 12;

class SetupError extends Error {}

function parseArgs(argv) {
  const o = {
    envmon: process.env.ENVMON_BIN ?? '',
    port: Number(process.env.ENVMON_PORT ?? 0),
    outDir: process.env.ENVMON_TEST_OUT ?? process.cwd(),
    chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
    fixture: process.env.ENVMON_FIXTURE === '1',
    demoArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new SetupError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--envmon') o.envmon = next();
    else if (a === '--port') o.port = Number(next());
    else if (a === '--out-dir') o.outDir = next();
    else if (a === '--chromium') o.chromium = next();
    else if (a === '--demo-arg') o.demoArgs.push(next());
    else if (a === '--fixture') o.fixture = true;
    else throw new SetupError(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new SetupError('--port must be 0..65535');
  return o;
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

// Every prerequisite is checked up front so a missing one reads as a setup failure, not a timeout.
async function checkPrerequisites(o) {
  try {
    accessSync(o.chromium, constants.X_OK);
  } catch {
    throw new SetupError(`chromium not found or not executable at ${o.chromium} (Debian package "chromium"). ${kSetupHint}`);
  }
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch (e) {
    throw new SetupError(`tests/browser/node_modules is missing playwright-core (${e.code ?? e.message}). ${kSetupHint}`);
  }
  if (!existsSync(join(repo, 'web', 'dist', 'index.html'))) {
    throw new SetupError(`web/dist/index.html is missing: the dashboard is not built. ${kSetupHint}`);
  }
  if (!o.fixture) {
    if (!o.envmon) throw new SetupError('no envmon binary given: pass --envmon PATH (or set ENVMON_BIN, or ENVMON_FIXTURE=1)');
    try {
      accessSync(o.envmon, constants.X_OK);
    } catch {
      throw new SetupError(`envmon binary not found or not executable: ${o.envmon}`);
    }
  }
  return playwright.chromium;
}

function startServer(o, port, log) {
  let cmd;
  let args;
  let dataDir = null;
  if (o.fixture) {
    cmd = process.execPath;
    args = [join(repo, 'web', 'dev', 'fixture-server.mjs'), '--port', String(port)];
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'envmon-browser-'));
    cmd = o.envmon;
    args = ['demo', '--port', String(port), '--data-dir', dataDir, '--speed', '600', '--duration', '90', ...o.demoArgs];
  }
  console.log(`# starting: ${cmd} ${args.join(' ')}`);
  const child = spawn(cmd, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  child.exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  child.on('error', (e) => log.write(`spawn error: ${e.message}\n`));
  return { child, dataDir };
}

async function waitReady(base, child) {
  const deadline = Date.now() + kReadyTimeoutMs;
  let last = 'no answer';
  let exited = null;
  child.exited.then((r) => (exited = r));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited before it was ready (code ${exited.code}, signal ${exited.signal})`);
    try {
      const r = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`GET /ready did not answer 200 within ${kReadyTimeoutMs / 1000} s (last: ${last})`);
}

// Waits for `probe()` to return true, reloading the page every 10 s: the demo is still generating data.
async function eventually(page, probe, what) {
  const deadline = Date.now() + kUiTimeoutMs;
  let nextReload = Date.now() + 10_000;
  let lastSeen = '';
  while (Date.now() < deadline) {
    const r = await probe();
    if (r === true) return;
    lastSeen = String(r);
    if (Date.now() >= nextReload) {
      await page.reload({ waitUntil: 'domcontentloaded' });
      nextReload = Date.now() + 10_000;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`${what} not seen within ${kUiTimeoutMs / 1000} s (last: ${lastSeen})`);
}

async function runChecks(page, base, results) {
  const check = async (name, fn) => {
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`ok ${results.length} - ${name}`);
    } catch (e) {
      results.push({ name, ok: false });
      console.log(`not ok ${results.length} - ${name}\n  # ${String(e.message ?? e).split('\n').join('\n  # ')}`);
    }
  };
  await check('page loads', async () => {
    const r = await page.goto(`${base}/`, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    if (!r || r.status() !== 200) throw new Error(`GET / answered ${r ? r.status() : 'nothing'}`);
  });
  await check(`at least ${kMinMarkers} station markers are visible`, () =>
    eventually(page, async () => {
      const n = await page.locator('.station-marker').evaluateAll((els) => els.filter((e) => {
        const b = e.getBoundingClientRect();
        return b.width > 0 && b.height > 0 && getComputedStyle(e).visibility !== 'hidden';
      }).length);
      return n >= kMinMarkers || `${n} visible markers`;
    }, 'station markers'));
  await check('a time-series chart draws a line', () =>
    eventually(page, async () => {
      const n = await page.locator('.timeseries-chart .series-line, .timeseries-chart .series-point').count();
      if (n > 0) return true;
      const msg = await page.locator('#chart').innerText().catch(() => '');
      return `no drawn series; chart area says "${msg.trim().slice(0, 120)}"`;
    }, '.timeseries-chart with a drawn path'));
  await check('clicking another marker updates the panel', async () => {
    const current = await page.locator('#station-panel').getAttribute('data-station-id');
    const ids = await page.locator('.station-marker').evaluateAll((els) => els.map((e) => e.getAttribute('data-station-id')));
    const target = ids.find((id) => id && id !== current);
    if (!target) throw new Error(`no other station to click (current ${current}, markers ${ids.join(',')})`);
    const marker = page.locator(`.station-marker[data-station-id="${target}"]`);
    const label = (await marker.getAttribute('aria-label')) ?? '';
    const name = label.split(': ')[0];
    try {
      await marker.click({ timeout: 5_000 });
    } catch {
      await marker.dispatchEvent('click'); // a neighbouring marker may cover this one
    }
    await page.waitForSelector(`#station-panel[data-station-id="${target}"]`, { timeout: 10_000 });
    const heading = (await page.locator('#station-panel h2').innerText()).trim();
    if (heading !== name) throw new Error(`panel heading is "${heading}", expected "${name}"`);
    await page.waitForSelector(`.station-marker.selected[data-station-id="${target}"]`, { timeout: 10_000 });
    await page.waitForSelector('#station-panel table.latest tbody tr, #station-panel .inline-error, #station-panel p.muted',
      { timeout: 15_000 });
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const chromium = await checkPrerequisites(o);
  mkdirSync(o.outDir, { recursive: true });
  const port = o.port || (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const logPath = join(o.outDir, 'browser-dashboard-server.log');
  const log = createWriteStream(logPath);
  const { child, dataDir } = startServer(o, port, log);
  const results = [];
  let browser = null;
  const pageErrors = [];
  try {
    await waitReady(base, child);
    results.push({ name: 'server ready', ok: true });
    console.log(`ok 1 - GET /ready answered 200 (${base})`);
    browser = await chromium.launch({
      executablePath: o.chromium,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await runChecks(page, base, results);
    const shot = join(o.outDir, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true }).then(() => console.log(`# screenshot: ${shot}`),
      (e) => console.log(`# screenshot failed: ${e.message}`));
    const ok = pageErrors.length === 0;
    results.push({ name: 'no JavaScript errors', ok });
    console.log(`${ok ? 'ok' : 'not ok'} ${results.length} - no JavaScript errors on the page` +
      (ok ? '' : `\n  # ${pageErrors.slice(0, 5).join('\n  # ')}`));
  } catch (e) {
    results.push({ name: 'setup', ok: false });
    console.log(`not ok ${results.length} - ${e.message}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer(child);
    log.end();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok).length;
  if (failed) {
    console.log(`# server log (${logPath}), last lines:`);
    const lines = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-25);
    for (const l of lines) console.log(`#   ${l}`);
  }
  console.log(`1..${results.length}`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timeout = new Promise((r) => setTimeout(() => r('timeout'), 10_000));
  if ((await Promise.race([child.exited, timeout])) === 'timeout') {
    console.log('# server ignored SIGINT for 10 s; sending SIGKILL');
    child.kill('SIGKILL');
    await child.exited;
  }
}

// A hard limit below ctest's TIMEOUT 300 so a hang still prints a reason.
const watchdog = setTimeout(() => {
  console.log('not ok - the test did not finish within 280 s\n0 passed, 1 failed');
  process.exit(1);
}, 280_000);
watchdog.unref();

main().then(
  (code) => process.exit(code),
  (e) => {
    const setup = e instanceof SetupError;
    console.log(`not ok 1 - ${setup ? 'setup: ' : ''}${e.message}`);
    console.log('1..1\n0 passed, 1 failed');
    process.exit(1);
  },
);
