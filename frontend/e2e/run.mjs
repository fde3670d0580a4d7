// End-to-end scenario against a real `gaung run`: starts the server on a fresh
// data folder, drives Chromium through the app and stops the server again.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { registerInbox } from './inbox.mjs';
import { registerInboxAdmin } from './inboxadmin.mjs';
import { registerInboxCase } from './inboxcase.mjs';
import { registerCalendarTests } from './calendar.mjs';
import { registerDashboardTests } from './dashboard.mjs';
import { composerTests } from './composer.mjs';
import { a11yTests } from './a11y.mjs';
import { flowTests } from './flow.mjs';
import { PHONE } from './phone.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const frontend = resolve(here, '..');
const artifacts = join(here, 'artifacts');
const PORT = Number(process.env.GAUNG_E2E_PORT ?? 8765);
const BASE = `http://127.0.0.1:${PORT}`;
const GAUNG = process.env.GAUNG_BIN ?? resolve(frontend, '../.venv/bin/gaung');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HEADLESS = process.env.E2E_HEADED ? false : true;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startServer(dataDir) {
  const output = [];
  const child = spawn(GAUNG, ['run', '--host', '127.0.0.1', '--port', String(PORT)], {
    cwd: frontend,
    env: { ...process.env, GAUNG_DATA_DIR: dataDir, GAUNG_PUBLIC_BASE_URL: BASE },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (d) => output.push(d.toString()));
  child.stderr.on('data', (d) => output.push(d.toString()));
  return { child, output };
}

function stopServer(server) {
  if (!server || server.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-server.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      resolveStop();
    }, 5000);
    server.child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    try {
      process.kill(-server.child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolveStop();
    }
  });
}

async function waitForHealth(server, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) break;
    try {
      const response = await fetch(`${BASE}/api/v1/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new Error(`server did not become healthy:\n${server.output.join('')}`);
}

/** A 1080×1080 JPEG drawn on a canvas in the page. */
async function makeJpeg(page) {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1080;
    canvas.height = 1080;
    const ctx = canvas.getContext('2d');
    const gradient = ctx.createLinearGradient(0, 0, 1080, 1080);
    gradient.addColorStop(0, '#1c7ed6');
    gradient.addColorStop(1, '#12b886');
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, 1080, 1080);
    ctx.fillStyle = '#fff';
    ctx.font = 'bold 120px sans-serif';
    ctx.fillText('Gaung', 300, 560);
    return canvas.toDataURL('image/jpeg', 0.85);
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function login(page) {
  await page.goto(`${BASE}/login`);
  await page.getByTestId('demo-login').waitFor();
  await page.getByTestId('demo-fill').click();
  expect((await page.getByTestId('login-email').inputValue()).includes('@'), 'demo login did not fill the email');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/posts/);
}

const tests = [];
// E2E_ONLY=<words> runs only the scenarios whose name contains them.
const test = (name, fn) => (!process.env.E2E_ONLY || name.includes(process.env.E2E_ONLY)) && tests.push({ name, fn });

test('wrong password shows an error', async ({ page }) => {
  await page.goto(`${BASE}/login`);
  await page.getByTestId('login-email').fill('admin@ptpsw.example.go.id');
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').waitFor();
  const text = await page.getByTestId('login-error').innerText();
  expect(/salah/i.test(text), `unexpected login error text: ${text}`);
  expect(page.url().includes('/login'), 'left the login page after a wrong password');
});

test('the session is an in-memory token plus an HttpOnly cookie; reload resumes it, logout ends it', async ({ page }) => {
  await login(page);
  const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
  expect(!/eyJ|token/i.test(stored), `a token is in web storage: ${stored}`);
  expect(!(await page.evaluate(() => document.cookie)).includes('gaung_refresh'), 'scripts can read the refresh cookie');
  const refresh = (await page.context().cookies()).find((c) => c.name === 'gaung_refresh');
  expect(
    refresh?.httpOnly && refresh.secure && refresh.sameSite === 'Strict' && refresh.path === '/api/v1/auth/refresh',
    `unexpected refresh cookie: ${JSON.stringify(refresh)}`,
  );
  // A reload forgets the access token; the cookie brings the session back.
  await page.reload();
  await page.getByTestId('user-menu').waitFor();
  expect(/\/posts/.test(page.url()), `the reload lost the session: ${page.url()}`);
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.waitForURL(/\/login/);
  const left = (await page.context().cookies()).find((c) => c.name === 'gaung_refresh');
  expect(!left, 'logout left the refresh cookie');
  await page.goto(`${BASE}/posts`);
  await page.waitForURL(/\/login/);
});

async function loginAs(page, email, password) {
  await page.goto(`${BASE}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/posts/);
}

const DEMO_PASSWORD = process.env.GAUNG_DEMO_ADMIN_PASSWORD ?? 'gaung-demo-2026';

composerTests({ test, BASE, expect, loginAs, makeJpeg, password: DEMO_PASSWORD });

test('phone layout shows the burger and post cards', async ({ browser }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  try {
    await login(page);
    await page.getByTestId('nav-burger').waitFor();
    expect(await page.getByTestId('nav-burger').isVisible(), 'burger is not visible on a phone');
    await page.getByTestId('posts-cards').waitFor();
    expect((await page.getByTestId('post-card').count()) > 0, 'no post cards on a phone');
    expect((await page.getByTestId('posts-table').count()) === 0, 'the table is shown on a phone');
    await page.getByTestId('nav-burger').click();
    await page.getByTestId('nav-accounts').click();
    await page.getByTestId('accounts-cards').waitFor();
    expect((await page.getByTestId('sandbox-badge').count()) >= 3, 'sandbox accounts are not labelled');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width <= 375, `the page scrolls sideways on a phone (${width}px)`);
  } finally {
    await context.close();
  }
});

test('accounts screen: sandbox accounts shown as simulated, the X spend and its cap', async ({ page }) => {
  await login(page);
  await page.getByTestId('nav-accounts').click();
  await page.waitForURL(/\/accounts/);
  await page.getByTestId('accounts-cards').waitFor();
  const cards = page.getByTestId('account-card');
  const count = await cards.count();
  expect(count >= 3, `expected the demo's three sandbox accounts, got ${count}`);
  for (let i = 0; i < count; i += 1) {
    const card = cards.nth(i);
    const badge = card.getByTestId('health-badge');
    expect((await badge.getAttribute('data-health')) === 'simulated', `account ${i} is not marked as simulated`);
    expect(/simulasi/i.test(await badge.innerText()), `the simulated badge is not in Indonesian: ${await badge.innerText()}`);
    await card.getByTestId('sandbox-badge').waitFor();
    expect((await card.getByTestId('account-reconnect').count()) === 0, 'a sandbox account offers to reconnect');
  }
  // The demo user is the unit's admin: the connect buttons are offered for every network.
  for (const platform of ['x', 'instagram', 'facebook']) await page.getByTestId(`connect-${platform}`).waitFor();

  const panel = page.getByTestId('spend-panel');
  await panel.getByTestId('spend-total').waitFor();
  const total = await panel.getByTestId('spend-total').innerText();
  expect(/US\$/.test(total), `unexpected X spend: ${total}`);
  await panel.getByTestId('spend-cap-input').fill('25');
  await panel.getByTestId('spend-cap-save').click();
  await panel.getByTestId('spend-cap').filter({ hasText: /25,00/ }).waitFor();
  await page.reload();
  await page.getByTestId('spend-cap').filter({ hasText: /25,00/ }).waitFor();
  await page.getByTestId('spend-cap-clear').click();
  await page.getByTestId('spend-cap').filter({ hasText: 'tanpa batas' }).waitFor();
});

test('language switch persists', async ({ page }) => {
  await login(page);
  await page.getByTestId('nav-posts').waitFor();
  expect((await page.getByTestId('nav-posts').innerText()).includes('Posting'), 'Indonesian is not the default');
  await page.getByTestId('navbar').getByText('EN', { exact: true }).click();
  await page.getByTestId('nav-posts').filter({ hasText: 'Posts' }).waitFor();
  await page.reload();
  await page.getByTestId('nav-posts').filter({ hasText: 'Posts' }).waitFor();
});

test('pausing the unit shows a banner on every page until it is resumed', async ({ page }) => {
  await login(page);
  await page.getByTestId('nav-holds').click();
  await page.getByTestId('unit-pause-reason').fill('Menunggu klarifikasi pimpinan');
  await page.getByTestId('unit-pause-pause').click();
  const banner = page.getByTestId('hold-banner');
  await banner.waitFor();
  expect((await banner.innerText()).includes('Menunggu klarifikasi pimpinan'), 'the banner does not say why');
  await page.getByTestId('nav-posts').click();
  await page.getByTestId('hold-banner').waitFor();
  await page.getByTestId('nav-holds').click();
  await page.getByTestId('unit-pause-resume').click();
  await page.getByTestId('hold-banner').waitFor({ state: 'detached' });
});

registerInbox({ test, expect, loginAs, BASE, DEMO_PASSWORD });
registerInboxAdmin({ test, expect, loginAs, DEMO_PASSWORD });
registerInboxCase({ test, expect, loginAs, BASE, DEMO_PASSWORD });
registerCalendarTests({ test, expect, login, BASE, artifacts, DEMO_PASSWORD });
registerDashboardTests({ test, expect, login, BASE, artifacts, DEMO_PASSWORD });
a11yTests({ test, login, BASE });
flowTests({ test, expect, login, loginAs, BASE, artifacts, password: DEMO_PASSWORD });

async function main() {
  if (!existsSync(join(frontend, 'dist/index.html'))) {
    console.error('frontend/dist is missing: run `npm run build` first');
    process.exit(1);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'gaung-e2e-'));
  let server;
  let browser;
  let passed = 0;
  let failed = 0;
  const interrupt = (signal) => {
    if (server?.child.pid) {
      try {
        process.kill(-server.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    server = startServer(dataDir);
    await waitForHealth(server);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: HEADLESS,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // playwright gives each launch a fresh temporary profile of its own
      ],
    });
    for (const { name, fn } of tests) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      // The server's security headers must not block anything the app does (nor be malformed).
      const blocked = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Permissions-Policy/i.test(message.text())) blocked.push(message.text());
      });
      const started = Date.now();
      try {
        await fn({ page, browser });
        if (blocked.length) throw new Error(`security headers:\n${blocked.join('\n')}`);
        passed += 1;
        console.log(`ok   ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed += 1;
        console.log(`FAIL ${name}\n     ${String(error?.stack ?? error).split('\n').join('\n     ')}`);
        mkdirSync(artifacts, { recursive: true });
        const file = join(artifacts, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        console.log(`     screenshot: ${file}`);
      } finally {
        await context.close();
      }
    }
  } catch (error) {
    failed += 1;
    console.log(`FAIL setup\n     ${String(error?.stack ?? error)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

await main();
