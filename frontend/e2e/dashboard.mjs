// Dashboard scenarios on the demo data: the KPI cards show what the API answers (formatted the
// Indonesian way), the best-time grid shows, the filters are kept in the URL, and on a phone
// nothing makes the page scroll sideways.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE } from './phone.mjs';

async function apiGet(BASE, expect, DEMO_PASSWORD, path) {
  const login = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'admin@ptpsw.example.go.id', password: DEMO_PASSWORD, session: 'token' }),
  });
  expect(login.ok, `login → ${login.status}`);
  const { access_token: token } = await login.json();
  const response = await fetch(`${BASE}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.ok, `GET ${path} → ${response.status}`);
  return response.json();
}

const idNumber = (n) => new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 }).format(n);

export function registerDashboardTests({ test, expect, login, BASE, artifacts, DEMO_PASSWORD }) {
  const shots = join(artifacts, 'dashboard');

  test('dashboard: KPI cards equal the API, the best-time grid shows, filters go into the URL', async ({ page }) => {
    mkdirSync(shots, { recursive: true });
    await login(page);
    await page.getByTestId('nav-dashboard').click();
    await page.waitForURL(/\/dashboard/);
    await page.getByTestId('kpi-posts-value').waitFor();

    // The default range is the last 30 days: the page asks the API for exactly that.
    const label = await page.getByTestId('range-label').innerText();
    expect(/30 hari/.test(label), `the range label does not say 30 days: ${label}`);
    const summary = await apiGet(BASE, expect, DEMO_PASSWORD, '/analytics/units/1/summary');
    const posts = await page.getByTestId('kpi-posts-value').innerText();
    expect(posts === idNumber(summary.totals.posts), `posts card ${posts} ≠ API ${summary.totals.posts}`);
    const rate = await page.getByTestId('kpi-engagement-value').innerText();
    const expected = `${new Intl.NumberFormat('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(summary.totals.engagement_rate * 100)} %`;
    expect(rate === expected, `engagement card ${rate} ≠ ${expected}`);
    const followers = await page.getByTestId('kpi-followers-value').allInnerTexts();
    expect(
      JSON.stringify(followers) === JSON.stringify(summary.accounts.map((a) => idNumber(a.followers))),
      `follower cards ${followers} ≠ API ${summary.accounts.map((a) => a.followers)}`,
    );
    // Thousands are grouped with a dot, as Indonesian writes them.
    expect(followers.some((f) => /^\d{1,3}(\.\d{3})+$/.test(f)), `no follower count is grouped the Indonesian way: ${followers}`);

    // The best-time grid: 168 cells, each with its sample size, unreliable cells marked.
    await page.getByTestId('heatmap').waitFor();
    const cells = page.getByTestId('heatmap-cell');
    expect((await cells.count()) === 168, `the grid has ${await cells.count()} cells`);
    // The grid reads a year up to the range's end (the API's default range for it).
    const best = await apiGet(BASE, expect, DEMO_PASSWORD, '/analytics/units/1/best-times');
    const busy = best.cells.find((c) => c.posts > 0);
    const shown = page.locator(`[data-testid="heatmap-cell"][data-posts="${busy.posts}"]`).first();
    expect((await shown.innerText()).trim() === idNumber(busy.posts), 'a cell does not show its sample size');
    const unreliable = best.cells.filter((c) => c.posts > 0 && !c.reliable).length;
    expect(
      (await page.locator('[data-testid="heatmap-cell"].unreliable').count()) === unreliable,
      'the unreliable cells are not all marked',
    );
    await page.getByTestId('followers-chart').waitFor();
    await page.screenshot({ path: join(shots, 'desktop.png'), fullPage: true });

    // Filters: a preset, a platform and an interval change the URL; a reload keeps them.
    await page.getByTestId('filter-range').click();
    await page.getByRole('option', { name: '90 hari' }).click();
    await page.waitForURL(/range=90d/);
    await page.getByTestId('filter-platform').click();
    await page.getByRole('option', { name: /Instagram/ }).click();
    await page.waitForURL(/platform=instagram/);
    await page.getByTestId('followers-interval').getByText('Mingguan').click();
    await page.waitForURL(/interval=week/);
    await page.reload();
    await page.getByTestId('kpi-posts-value').waitFor();
    const url = page.url();
    expect(/range=90d/.test(url) && /platform=instagram/.test(url), `the reload lost the filters: ${url}`);
    const filtered = await apiGet(BASE, expect, DEMO_PASSWORD, '/analytics/units/1/summary?platform=instagram');
    expect((await page.getByTestId('kpi-followers').count()) === filtered.accounts.length, 'the platform filter did not narrow the follower cards');
    expect(/90 hari/.test(await page.getByTestId('range-label').innerText()), 'the 90-day range is not shown');

    // A custom range starts from the days shown and keeps them in the URL.
    await page.getByTestId('filter-range').click();
    await page.getByRole('option', { name: 'Pilih tanggal' }).click();
    await page.waitForURL(/range=custom/);
    await page.getByTestId('filter-days').waitFor();
    const custom = new URL(page.url()).searchParams;
    expect(/^\d{4}-\d{2}-\d{2}$/.test(custom.get('start') ?? '') && /^\d{4}-\d{2}-\d{2}$/.test(custom.get('end') ?? ''), `no custom days in ${page.url()}`);
    expect(/90 hari/.test(await page.getByTestId('range-label').innerText()), 'the custom range did not start from the days shown');

    // A CSV download of one series.
    const download = page.waitForEvent('download');
    await page.getByTestId('csv-compare').click();
    const file = await download;
    expect(/^compare-.*\.csv$/.test(file.suggestedFilename()), `unexpected CSV name ${file.suggestedFilename()}`);
  });

  test('dashboard: a dormant account is flagged at the top with a link to it', async ({ page }) => {
    await login(page);
    // The demo's accounts all post: the API's answer is replaced by one with a dormant account.
    await page.route('**/api/v1/analytics/units/1/dormant', (route) =>
      route.fulfill({
        json: {
          unit_id: 1,
          dormant_days: 14,
          items: [{ account_id: 2, platform: 'instagram', handle: '@PTPSW_BPPT', last_post_at: null, last_metrics_at: null, reasons: ['no_posts', 'no_metrics'] }],
        },
      }),
    );
    await page.goto(`${BASE}/dashboard`);
    const alert = page.getByTestId('dormant-alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(/1 akun tidak aktif/.test(text) && /14 hari/.test(text) && /belum pernah memposting/.test(text), `unexpected alert: ${text}`);
    await alert.getByRole('link').click();
    await page.waitForURL(/\/accounts#account-2$/);
    await page.locator('#account-2').waitFor();
  });

  test('dashboard on a 375 px phone: cards stack, charts scroll inside their cards, the page does not', async ({ browser }) => {
    mkdirSync(shots, { recursive: true });
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    try {
      await login(page);
      await page.goto(`${BASE}/dashboard`);
      await page.getByTestId('heatmap').waitFor();
      await page.getByTestId('followers-chart').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width <= 375, `the page scrolls sideways on a phone (${width}px)`);
      const boxes = await page.getByTestId('kpi-posts').boundingBox();
      expect(boxes && boxes.width > 300, 'the KPI cards do not stack on a phone');
      const grid = await page.getByTestId('heatmap').evaluate((el) => [el.scrollWidth, el.parentElement.clientWidth]);
      expect(grid[0] > grid[1], 'the heatmap is not wider than its card (it should scroll inside it)');
      await page.screenshot({ path: join(shots, 'phone.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
}
