// Time for the calendar to render a month of 300 variants in headless Chromium. Starts the built
// app (`gaung run` on a fresh data folder), logs in with the demo account and answers
// GET /calendar from here with 300 synthetic entries spread over the visible range, so the
// figure is the web app's own work (React, FullCalendar, layout), not the API's.
// Run after a build:  npm run build && node scripts/bench-calendar.mjs
// Prints figures; asserts nothing about time.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const frontend = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const PORT = Number(process.env.GAUNG_BENCH_PORT ?? process.env.GAUNG_E2E_PORT ?? 8779);
const BASE = `http://127.0.0.1:${PORT}`;
const GAUNG = process.env.GAUNG_BIN ?? resolve(frontend, '../.venv/bin/gaung');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VARIANTS = Number(process.env.BENCH_VARIANTS ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const STATUSES = ['draft', 'in_review', 'approved', 'scheduled', 'publishing', 'published', 'failed', 'unconfirmed'];
const PLATFORMS = ['x', 'instagram', 'facebook'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** 300 entries spread evenly over [start, end), at whole quarter hours, in time order. */
function calendarFor(url) {
  const params = new URL(url).searchParams;
  const start = Date.parse(params.get('start'));
  const end = Date.parse(params.get('end'));
  const step = (end - start) / VARIANTS;
  const entries = Array.from({ length: VARIANTS }, (_, i) => {
    const at = new Date(Math.floor((start + i * step) / 900_000) * 900_000).toISOString();
    const status = STATUSES[i % STATUSES.length];
    return {
      variant_id: i + 1,
      post_id: Math.floor(i / 3) + 1,
      title: `Posting uji ${Math.floor(i / 3) + 1}`,
      excerpt: 'Teks contoh untuk mengukur kalender',
      platform: PLATFORMS[i % 3],
      account_id: (i % 3) + 1,
      account_name: ['@ptpsw', 'ptpsw.ig', 'PTPSW'][i % 3],
      status,
      held: i % 29 === 0,
      at,
      category: 'Informasi',
      author_id: 1,
      author_name: 'Admin',
      external_url: status === 'published' ? 'https://example.com/p' : null,
      media_count: i % 2,
      can_move: !['published', 'publishing', 'unconfirmed'].includes(status),
    };
  });
  // Each WIB day's count, as the server sends it (a day cut short would add a "more" entry).
  const totals = new Map();
  for (const e of entries) {
    const day = new Date(Date.parse(e.at) + 7 * 3600_000).toISOString().slice(0, 10);
    totals.set(day, (totals.get(day) ?? 0) + 1);
  }
  return {
    unit_id: Number(params.get('unit_id')),
    timezone: 'Asia/Jakarta',
    start: params.get('start'),
    end: params.get('end'),
    per_day: params.has('per_day') ? Number(params.get('per_day')) : null,
    entries,
    days: [...totals].map(([date, total]) => ({ date, total })),
    observances: [],
  };
}

async function waitForHealth(child, output) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${BASE}/api/v1/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new Error(`server did not become healthy:\n${output.join('')}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (!existsSync(join(frontend, 'dist/index.html'))) {
    console.error('frontend/dist is missing: run `npm run build` first');
    process.exit(1);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'gaung-bench-'));
  const output = [];
  const child = spawn(GAUNG, ['run', '--host', '127.0.0.1', '--port', String(PORT)], {
    cwd: frontend,
    env: { ...process.env, GAUNG_DATA_DIR: dataDir, GAUNG_PUBLIC_BASE_URL: BASE },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (d) => output.push(d.toString()));
  child.stderr.on('data', (d) => output.push(d.toString()));
  let browser;
  try {
    await waitForHealth(child, output);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
    page.setDefaultTimeout(30_000);
    await page.route(/\/api\/v1\/calendar\?/, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(calendarFor(route.request().url())) }),
    );
    await page.route(/\/api\/v1\/units\/\d+\/templates$/, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"items":[]}' }),
    );
    await page.goto(`${BASE}/login`);
    await page.getByTestId('demo-fill').click();
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/posts/);

    // First open: the lazy chunk, FullCalendar's set-up and the first month.
    const coldStart = Date.now();
    await page.getByTestId('nav-calendar').click();
    await page.locator('[data-testid="calendar-entry"]').first().waitFor();
    const cold = Date.now() - coldStart;

    // Then month after month: the click, the answer from this script, React and FullCalendar's
    // render up to the next frame, timed inside the page.
    const times = [];
    const renders = [];
    for (let i = 0; i < RUNS; i += 1) {
      const ms = await page.evaluate(async (direction) => {
        const heading = document.querySelector('[data-testid="calendar-heading"]')?.textContent;
        const t0 = performance.now();
        document.querySelector(`[data-testid="calendar-${direction}"]`).click();
        await new Promise((resolveWait) => {
          const check = () => {
            const now = document.querySelector('[data-testid="calendar-heading"]')?.textContent;
            const ready = document.querySelector('[data-testid="calendar-entry"]') && now !== heading;
            // `data-fetching` is off once the month's answer is drawn.
            const idle = document.querySelector('.gaung-calendar')?.getAttribute('data-fetching') === 'false';
            if (ready && idle) resolveWait();
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
        await new Promise((r) => requestAnimationFrame(() => r()));
        const updated = Number(document.querySelector('.gaung-calendar')?.getAttribute('data-updated'));
        return { total: performance.now() - t0, render: Date.now() - updated };
      }, i % 2 === 0 ? 'next' : 'prev');
      times.push(ms.total);
      renders.push(ms.render);
    }
    const shown = await page.locator('[data-testid="calendar-entry"]').count();
    if (process.env.BENCH_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_SCREENSHOT, fullPage: true });
    console.log(`calendar month, ${VARIANTS} variants (dayGridMonth, 1280x900, ${shown} drawn, the rest behind "+n")`);
    console.log(`  first open (route chunk + first month): ${cold} ms`);
    const figures = (xs) => `${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
    console.log(`  next/previous month, click to drawn, median of ${RUNS}: ${figures(times)}`);
    console.log(`  of which the render, answer in hand to drawn: ${figures(renders)}`);
    const list = await page.evaluate(async () => {
      const t0 = performance.now();
      const button = [...document.querySelectorAll('[data-testid="calendar-view"] label')].find((l) =>
        /daftar|list/i.test(l.textContent ?? ''),
      );
      button.click();
      await new Promise((resolveWait) => {
        const check = () =>
          document.querySelector('.fc-list, [data-view="list"] [data-testid="calendar-entry"]')
            ? resolveWait()
            : requestAnimationFrame(check);
        requestAnimationFrame(check);
      });
      await new Promise((r) => requestAnimationFrame(() => r()));
      return performance.now() - t0;
    });
    const listed = await page.locator('[data-testid="calendar-entry"]').count();
    console.log(`  list view of the month (${listed} rows): ${list.toFixed(0)} ms`);
  } finally {
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await sleep(500);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
