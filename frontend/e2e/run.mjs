// End-to-end scenario against a real `gaung run`: starts the server on a fresh
// data folder, drives Chromium through the app and stops the server again.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { a11yTests } from './a11y.mjs';

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

test('create a post for X, Instagram and Facebook', async ({ page }) => {
  await login(page);
  const title = `Uji e2e ${Date.now()}`;
  await page.getByTestId('new-post').click();
  await page.waitForURL(/\/posts\/new/);
  await page.getByTestId('form-title').fill(title);
  await page.getByTestId('form-category').fill('Informasi Teknologi');
  await page.getByTestId('form-planned').fill('2030-01-15T09:30');

  for (const platform of ['x', 'instagram', 'facebook']) {
    await page.locator(`[data-testid^="account-${platform}-"]`).first().check();
  }
  await page.getByTestId('text-x').waitFor();

  const longText = 'Teknologi untuk daerah: '.repeat(13).trim();
  expect(longText.length > 280, 'the long text is not long');
  await page.getByTestId('text-x').fill(longText);
  const problems = page.getByTestId('problems-x');
  await problems.waitFor({ timeout: 10_000 });
  const problemText = await problems.innerText();
  expect(/\/280/.test(problemText), `the X problem does not show the length: ${problemText}`);
  const counter = await page.getByTestId('counter-x').innerText();
  expect(new RegExp(`X: ${longText.length}/280`).test(counter), `unexpected X counter: ${counter}`);

  await page.getByTestId('text-x').fill('Inovasi teknologi untuk pembangunan daerah. #PTPSW');
  await problems.waitFor({ state: 'detached', timeout: 10_000 });

  await page.getByTestId('text-instagram').fill('Inovasi teknologi untuk pembangunan daerah.\n\n#PTPSW #Teknologi');
  await page.getByTestId('text-facebook').fill('Inovasi teknologi untuk pembangunan daerah bersama PTPSW.');

  const jpeg = await makeJpeg(page);
  await page.getByTestId('file-instagram').setInputFiles({ name: 'kotak.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await page.getByTestId('variant-instagram').getByTestId('media-thumb').waitFor({ timeout: 15_000 });

  await page.getByTestId('validation-status').filter({ hasText: /sesuai aturan/ }).waitFor({ timeout: 10_000 });
  await page.getByTestId('form-save').click();
  await page.waitForURL(/\/posts(\?.*)?$/, { timeout: 15_000 });

  await page.getByTestId('filter-q').fill(title);
  const row = page.getByTestId('post-row').filter({ hasText: title });
  await row.waitFor({ timeout: 10_000 });
  const rowText = await row.innerText();
  expect(/15 Jan 2030/.test(rowText) && /09\.30|09:30/.test(rowText) && /WIB/.test(rowText), `planned time not shown in WIB: ${rowText}`);
});

async function loginAs(page, email, password) {
  await page.goto(`${BASE}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/posts/);
}

const DEMO_PASSWORD = process.env.GAUNG_DEMO_ADMIN_PASSWORD ?? 'gaung-demo-2026';

test('an editor submits, the admin approves and schedules', async ({ page }) => {
  const title = `Alur e2e ${Date.now()}`;
  await loginAs(page, 'editor@ptpsw.example.go.id', DEMO_PASSWORD);
  await page.getByTestId('new-post').click();
  await page.getByTestId('form-title').fill(title);
  await page.getByTestId('form-planned').fill('2031-02-03T10:15');
  await page.locator('[data-testid^="account-x-"]').first().check();
  await page.getByTestId('text-x').fill('Layanan publik berbasis teknologi. #PTPSW');
  await page.getByTestId('validation-status').filter({ hasText: /sesuai aturan/ }).waitFor({ timeout: 10_000 });
  await page.getByTestId('form-save').click();
  await page.waitForURL(/\/posts(\?.*)?$/, { timeout: 15_000 });
  await page.getByTestId('filter-q').fill(title);
  await page.getByTestId('post-row').filter({ hasText: title }).getByRole('link', { name: title }).click();
  await page.waitForURL(/\/posts\/\d+$/);
  const postUrl = page.url();
  await page.getByTestId('workflow-submit').click();
  await page.getByTestId('workflow-variants').filter({ hasText: 'Ditinjau' }).waitFor();
  // The author may not approve under four-eyes: no approve button for them.
  expect((await page.getByTestId('workflow-approve').count()) === 0, 'the author was offered to approve');
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.waitForURL(/\/login/);

  await loginAs(page, 'admin@ptpsw.example.go.id', DEMO_PASSWORD);
  await page.getByTestId('notification-bell').click();
  const note = page.getByTestId('notification-list').getByText(`“${title}” menunggu tinjauan Anda.`);
  await note.waitFor();
  await note.click();
  await page.waitForURL(postUrl);
  await page.getByTestId('workflow-approve').click();
  await page.getByTestId('workflow-variants').filter({ hasText: 'Disetujui' }).waitFor();
  await page.getByTestId('workflow-schedule').click();
  const at = await page.getByTestId('workflow-schedule-at').inputValue();
  expect(at === '2031-02-03T10:15', `the schedule does not start from the planned time: ${at}`);
  await page.getByTestId('workflow-schedule-confirm').click();
  const variants = page.getByTestId('workflow-variants');
  await variants.filter({ hasText: 'Terjadwal 3 Feb 2031' }).waitFor();
  const shown = await variants.innerText();
  expect(/10[.:]15/.test(shown) && /WIB/.test(shown), `scheduled time not shown in WIB: ${shown}`);
});

test('phone layout shows the burger and post cards', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
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

a11yTests({ test, login, BASE });

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
