// Calendar scenarios: posts made through the API show on the calendar (desktop month view and
// the phone's list view), and a scheduled post dragged to the next day is rescheduled.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkA11y } from './axe.mjs';
import { PHONE } from './phone.mjs';

const ZONE_OFFSET = '+07:00'; // the demo unit's zone, Asia/Jakarta (no daylight saving)

function jakartaDay(offsetDays) {
  const now = new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000);
  return now.toISOString().slice(0, 10);
}

function apiClient(BASE, expect) {
  async function call(token, method, path, body) {
    const response = await fetch(`${BASE}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.ok, `${method} ${path} → ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }
  async function login(email, password) {
    const response = await fetch(`${BASE}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password, session: 'token' }),
    });
    expect(response.ok, `login ${email} → ${response.status}`);
    return (await response.json()).access_token;
  }
  return { call, login };
}

/**
 * An X post written by the editor for `day` at 10:15 WIB, approved by the admin and then
 * scheduled, or published at once with `publishNow`.
 */
async function scheduledPost({ BASE, expect, DEMO_PASSWORD }, day, title, publishNow = false) {
  const { call, login } = apiClient(BASE, expect);
  const editor = await login('editor@ptpsw.example.go.id', DEMO_PASSWORD);
  const admin = await login('admin@ptpsw.example.go.id', DEMO_PASSWORD);
  const me = await call(admin, 'GET', '/me');
  const unit = me.memberships[0].unit;
  const accounts = await call(admin, 'GET', `/accounts?unit_id=${unit.id}`);
  const x = accounts.items.find((a) => a.platform === 'x');
  expect(x, 'the demo unit has no X account');
  const post = await call(editor, 'POST', '/posts', {
    unit_id: unit.id,
    title,
    planned_at: `${day}T10:15:00${ZONE_OFFSET}`,
    variants: [{ account_id: x.id, text: `Jadwal layanan publik pekan ini. ${title}` }],
  });
  await call(editor, 'POST', `/posts/${post.id}/submit`);
  // A unit with a pre-publication checklist wants every item ticked by the approver.
  const checklist = Array.isArray(unit.checklist) && unit.checklist.length ? { checklist: unit.checklist } : undefined;
  await call(admin, 'POST', `/posts/${post.id}/approve`, checklist);
  if (publishNow) {
    await call(admin, 'POST', `/posts/${post.id}/publish-now`);
    const deadline = Date.now() + 60_000;
    let current = await call(admin, 'GET', `/posts/${post.id}`);
    while (current.variants[0].status !== 'published' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      current = await call(admin, 'GET', `/posts/${post.id}`);
    }
    expect(current.variants[0].status === 'published', `not published: ${JSON.stringify(current.variants)}`);
    return { post: current, admin, call };
  }
  const scheduled = await call(admin, 'POST', `/posts/${post.id}/schedule`, {});
  expect(scheduled.variants[0].status === 'scheduled', `not scheduled: ${JSON.stringify(scheduled.variants)}`);
  return { post: scheduled, admin, call };
}

/** Drags with the mouse from the centre of one element to the centre of another, in steps. */
export async function drag(page, from, to) {
  await from.scrollIntoViewIfNeeded();
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  const start = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
  const end = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 15; i += 1) {
    await page.mouse.move(start.x + ((end.x - start.x) * i) / 15, start.y + ((end.y - start.y) * i) / 15);
    await page.waitForTimeout(30);
  }
  await page.mouse.up();
}

export function registerCalendarTests({ test, expect, login, BASE, artifacts, DEMO_PASSWORD }) {
  const shot = async (page, name) => {
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  };

  test('calendar: a scheduled post shows on its day and is dragged to the next day', async ({ page }) => {
    const day = jakartaDay(2);
    const nextDay = jakartaDay(3);
    const title = `Kalender e2e ${Date.now()}`;
    const { post, admin, call } = await scheduledPost({ BASE, expect, DEMO_PASSWORD }, day, title);

    await login(page);
    await page.getByTestId('nav-calendar').click();
    await page.waitForURL(/\/calendar/);
    await page.goto(`${BASE}/calendar?date=${day}`);
    const entry = page.locator(`[data-testid="calendar-entry"][data-post="${post.id}"]`);
    await entry.waitFor();
    const cellOf = (d) => page.locator(`[role="cell"][data-date="${d}"]`).first();
    expect((await cellOf(day).locator(`[data-post="${post.id}"]`).count()) === 1, `the post is not on ${day}`);
    expect((await entry.getAttribute('data-status')) === 'scheduled', 'the entry is not shown as scheduled');
    expect(/10[.:]15/.test(await entry.innerText()), `no 24-hour WIB time on the entry: ${await entry.innerText()}`);
    await page.getByTestId('calendar-legend').waitFor();
    expect(/Terjadwal/.test(await page.getByTestId('calendar-legend').innerText()), 'legend not in Indonesian');

    await drag(page, entry, cellOf(nextDay));
    await page.getByText(/^Dipindah ke /).first().waitFor();
    await cellOf(nextDay).locator(`[data-post="${post.id}"]`).waitFor();
    const moved = await call(admin, 'GET', `/posts/${post.id}`);
    const at = moved.variants[0].scheduled_at;
    expect(
      new Date(at).getTime() === new Date(`${nextDay}T10:15:00${ZONE_OFFSET}`).getTime(),
      `the server did not get the new day: ${at}`,
    );
    expect(moved.variants[0].status === 'scheduled', `the admin's move changed the status: ${moved.variants[0].status}`);
    await shot(page, 'calendar-desktop');

    // Clicking the entry opens the post.
    await cellOf(nextDay).locator(`[data-post="${post.id}"]`).click();
    await page.waitForURL(new RegExp(`/posts/${post.id}$`));
  });

  test('calendar on a 375-px phone: the list view, reachable controls of at least 44 px', async ({ browser }) => {
    const day = jakartaDay(1);
    const title = `Kalender ponsel ${Date.now()}`;
    const { post } = await scheduledPost({ BASE, expect, DEMO_PASSWORD }, day, title);
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      await login(page);
      await page.goto(`${BASE}/calendar?date=${day}`);
      await page.locator('[data-testid="calendar"][data-view="list"]').waitFor();
      const entry = page.locator(`[data-testid="calendar-entry"][data-post="${post.id}"]`);
      await entry.waitFor();
      expect(/10[.:]15/.test(await entry.innerText()) || /10[.:]15/.test(await page.getByTestId('calendar').innerText()), 'no 24-hour time in the list');
      for (const id of ['calendar-prev', 'calendar-today', 'calendar-next']) {
        const box = await page.getByTestId(id).boundingBox();
        expect(box && box.height >= 44 && box.width >= 44, `${id} is smaller than 44 px: ${JSON.stringify(box)}`);
      }
      const views = page.getByTestId('calendar-view').locator('label');
      for (let i = 0; i < (await views.count()); i += 1) {
        const box = await views.nth(i).boundingBox();
        expect(box && box.height >= 44, `view switch ${i} is smaller than 44 px: ${JSON.stringify(box)}`);
      }
      const rowBox = await entry.boundingBox();
      expect(rowBox && rowBox.height >= 44, `list row smaller than 44 px: ${JSON.stringify(rowBox)}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `the calendar is wider than the phone by ${overflow} px`);
      await shot(page, 'calendar-phone');
      // Month view stays reachable on the phone (long-press drag there).
      await views.filter({ hasText: 'Bulan' }).click();
      await page.locator('[data-testid="calendar"][data-view="month"]').waitFor();
      const any = page.getByTestId('calendar-entry').first();
      await any.waitFor();
      await shot(page, 'calendar-phone-month');
      await any.click();
      await page.waitForURL(/\/posts\/\d+$/);
    } finally {
      await context.close();
    }
  });

  test('calendar: a busy day shows how many it hides and opens whole', async ({ page }) => {
    const day = jakartaDay(24);
    const { call, login: apiLogin } = apiClient(BASE, expect);
    const editor = await apiLogin('editor@ptpsw.example.go.id', DEMO_PASSWORD);
    const me = await call(editor, 'GET', '/me');
    const unitId = me.memberships[0].unit.id;
    const accounts = await call(editor, 'GET', `/accounts?unit_id=${unitId}`);
    const x = accounts.items.find((a) => a.platform === 'x');
    // More planned drafts on one day than the month view asks for (20 a day).
    for (let i = 0; i < 23; i += 1) {
      const hh = String(8 + Math.floor(i / 2)).padStart(2, '0');
      await call(editor, 'POST', '/posts', {
        unit_id: unitId,
        title: `Hari sibuk ${i + 1}`,
        planned_at: `${day}T${hh}:${i % 2 ? '30' : '00'}:00${ZONE_OFFSET}`,
        variants: [{ account_id: x.id, text: `Rangkaian acara, bagian ${i + 1}.` }],
      });
    }

    await login(page);
    const month = `${BASE}/calendar?view=month&date=${day}`;
    await page.goto(month);
    const more = page.locator(`[data-testid="calendar-more"][data-day="${day}"]`);
    await more.waitFor();
    const total = Number(/\((\d+)\)/.exec(await more.innerText())?.[1]);
    expect(total >= 23, `the month says ${total} entries on ${day}`);
    await shot(page, 'calendar-busy-month');
    await checkA11y(page, 'calendar busy month');
    const wholeDay = async () => {
      await page.locator('[data-testid="calendar"][data-view="day"]').waitFor();
      expect(new URL(page.url()).searchParams.get('date') === day, `the day view is not on ${day}: ${page.url()}`);
      await page.getByText('Hari sibuk 23', { exact: true }).waitFor();
      const shown = await page.getByTestId('calendar-entry').count();
      expect(shown === total, `the day shows ${shown} entries, the month said ${total}`);
      expect((await page.getByTestId('calendar-more').count()) === 0, 'the whole day still hides entries');
    };

    // "Lihat semua" opens the whole day.
    await more.click();
    await wholeDay();
    // So does the cell's own "+N" link: its popover would list only what the month loaded.
    await page.goto(month);
    const cell = page.locator(`[role="cell"][data-date="${day}"]`).first();
    await cell.getByText(/^\+\d+ /).click();
    await wholeDay();
    await checkA11y(page, 'calendar busy day');

    // On a phone the month is a list: the day's own row "Lihat semua" is a button of 44 px.
    const phone = await page.context().browser().newContext(PHONE);
    const small = await phone.newPage();
    small.setDefaultTimeout(10_000);
    try {
      await login(small);
      await small.goto(`${BASE}/calendar?date=${day}`);
      await small.locator('[data-testid="calendar"][data-view="list"]').waitFor();
      const row = small.locator(`button[data-testid="calendar-more"][data-day="${day}"]`);
      await row.waitFor();
      const box = await row.boundingBox();
      expect(box && box.height >= 44, `"Lihat semua" is smaller than 44 px: ${JSON.stringify(box)}`);
      await row.tap();
      await small.locator('[data-testid="calendar"][data-view="day"]').waitFor();
      await small.getByText('Hari sibuk 23', { exact: true }).waitFor();
      const rows = await small.getByTestId('calendar-entry').count();
      expect(rows === total, `the phone's day shows ${rows} entries, the month said ${total}`);
    } finally {
      await phone.close();
    }
    await shot(page, 'calendar-busy-day');
  });

  test('calendar: a published post shows its link to the platform and stays in place', async ({ page }) => {
    const title = `Terbit e2e ${Date.now()}`;
    const { post } = await scheduledPost({ BASE, expect, DEMO_PASSWORD }, jakartaDay(1), title, true);
    const url = post.variants[0].external_url;
    expect(url, 'the published variant has no link');
    await login(page);
    await page.goto(`${BASE}/calendar`);
    const entry = page.locator(`[data-testid="calendar-entry"][data-post="${post.id}"]`);
    await entry.waitFor();
    expect((await entry.getAttribute('data-status')) === 'published', 'the entry is not shown as published');
    expect((await entry.getByTestId('entry-external-link').getAttribute('data-href')) === url, 'no link to the platform');
    // Published entries are not draggable: FullCalendar gets startEditable false from can_move.
    const before = await entry.evaluate((el) => el.closest('[data-date]')?.getAttribute('data-date'));
    const dayAfter = new Date(Date.parse(`${before}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await drag(page, entry, page.locator(`[role="cell"][data-date="${dayAfter}"]`).first());
    await page.waitForTimeout(500);
    const after = await entry.evaluate((el) => el.closest('[data-date]')?.getAttribute('data-date'));
    expect(before === after, `a published post moved from ${before} to ${after}`);
    await shot(page, 'calendar-published');
  });
}
