// The whole path a unit's two admins take, in the browser only: the editor writes a post for a
// sandbox account on a day chosen ahead, takes one of the good hours the composer suggests and
// submits it; the admin (the second pair of eyes) approves and schedules it, drags it to the next
// day on the desktop calendar, moves it again with "Pindahkan" on a 375-px phone (with the
// calendar's other actions there), publishes it and sees it published with its link.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { drag } from './calendar.mjs';
import { PHONE } from './phone.mjs';

const ZONE_MS = 7 * 3600_000; // the demo unit's zone, Asia/Jakarta (no daylight saving)

/** "YYYY-MM-DD" in Jakarta, `offset` days from today. */
function jakartaDay(offset) {
  return new Date(Date.now() + ZONE_MS + offset * 86_400_000).toISOString().slice(0, 10);
}

function nextDay(day) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function flowTests({ test, expect, login, loginAs, BASE, artifacts, password }) {
  const dir = join(artifacts, 'flow');
  const shot = async (page, name) => {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  };

  async function logout(page) {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
  }

  /** The good hours the schedule picker `testId` offers: its source and its buttons. */
  async function goodHours(page, testId) {
    const box = page.getByTestId(`${testId}-good-hours`);
    await box.waitFor();
    const buttons = box.locator(`[data-testid^="${testId}-slot-"]`);
    const slots = [];
    for (let i = 0; i < (await buttons.count()); i += 1) {
      const id = await buttons.nth(i).getAttribute('data-testid');
      slots.push({ slot: id.slice(-4), label: await buttons.nth(i).innerText(), button: page.getByTestId(id) });
    }
    return { source: await box.getAttribute('data-source'), text: await box.innerText(), slots };
  }

  test('the full path: compose, submit, approve (four-eyes), schedule at a good hour, drag, move on a phone, publish, see the link', async ({
    page,
    browser,
  }) => {
    const day = jakartaDay(3);
    const title = `Alur lengkap ${Date.now()}`;

    // 1. The editor writes the post for a day ahead, at an hour the composer suggests.
    await loginAs(page, 'editor@ptpsw.example.go.id', password);
    await page.goto(`${BASE}/posts/new?date=${day}`);
    await page.getByTestId('form-title').fill(title);
    await page.locator('[data-testid^="account-x-"]').first().check();
    await page.getByTestId('text-base').fill(`Layanan konsultasi teknologi wilayah dibuka untuk umum. ${title}`);
    const hours = await goodHours(page, 'form-planned');
    expect(hours.slots.length > 0, `no good hours offered: ${hours.text}`);
    if (hours.source === 'analytics') {
      // From the unit's history: each hour with the posts behind it, "Kamis 19.00 · 14 posting".
      expect(/riwayat unggahan/.test(hours.text), `the source is not said: ${hours.text}`);
      for (const { label } of hours.slots) expect(/^\p{L}+ \d{2}\.\d{2} · \d+ posting$/u.test(label), `not a good-hour label: ${label}`);
    } else {
      expect(/jam bawaan unit/.test(hours.text), `the fallback is not said: ${hours.text}`);
    }
    const chosen = hours.slots[0];
    await chosen.button.click();
    const planned = await page.getByTestId('form-planned').getAttribute('data-value');
    expect(planned.startsWith(`${day} ${chosen.slot.slice(0, 2)}:${chosen.slot.slice(2)}`), `planned at ${planned}, not ${day} ${chosen.slot}`);
    await shot(page, '1-composer-good-hours');
    await page.getByTestId('validation-status').filter({ hasText: /sesuai aturan/ }).waitFor({ timeout: 20_000 });
    await page.getByTestId('form-save').click();
    await page.waitForURL(/\/posts\/\d+$/, { timeout: 15_000 });
    const postUrl = page.url();
    const postId = postUrl.split('/').pop();
    await page.getByTestId('workflow-submit').click();
    await page.getByTestId('workflow-variants').filter({ hasText: 'Ditinjau' }).waitFor();
    // Four-eyes: the author may not approve their own post.
    expect((await page.getByTestId('workflow-approve').count()) === 0, 'the author is offered to approve');
    await logout(page);

    // 2. The admin approves with the unit's checklist and schedules at the planned time.
    await loginAs(page, 'admin@ptpsw.example.go.id', password);
    await page.goto(postUrl);
    await page.getByTestId('workflow-approve').click();
    const items = page.getByTestId('approve-dialog').getByTestId('checklist-item');
    for (let i = 0; i < (await items.count()); i += 1) await items.nth(i).check();
    await page.getByTestId('workflow-approve-confirm').click();
    await page.getByTestId('workflow-variants').filter({ hasText: 'Disetujui' }).waitFor();
    await page.getByTestId('workflow-schedule').click();
    expect(
      (await page.getByTestId('workflow-schedule-at').getAttribute('data-value')).startsWith(planned.slice(0, 16)),
      'the schedule dialog does not start from the planned time',
    );
    await page.getByTestId('workflow-schedule-confirm').click();
    await page.getByTestId('workflow-variants').filter({ hasText: 'Terjadwal' }).waitFor();

    // 3. Desktop calendar: drag it to the next day.
    await page.goto(`${BASE}/calendar?date=${day}`);
    const entry = page.locator(`[data-testid="calendar-entry"][data-post="${postId}"]`);
    await entry.waitFor();
    const cellOf = (d) => page.locator(`[role="cell"][data-date="${d}"]`).first();
    expect((await cellOf(day).locator(`[data-post="${postId}"]`).count()) === 1, `the post is not on ${day}`);
    const moved = nextDay(day);
    await drag(page, entry, cellOf(moved));
    await page.getByText(/^Dipindah ke /).first().waitFor();
    await cellOf(moved).locator(`[data-post="${postId}"]`).waitFor();
    expect((await entry.getAttribute('data-status')) === 'scheduled', 'the admin’s drag changed the status');
    await shot(page, '2-calendar-dragged');

    // 4. On a phone: the list view, "Pindahkan" to another good hour, and the other actions.
    const phone = await browser.newContext(PHONE);
    const mobile = await phone.newPage();
    mobile.setDefaultTimeout(10_000);
    try {
      await login(mobile);
      await mobile.goto(`${BASE}/calendar?date=${moved}`);
      await mobile.locator('[data-testid="calendar"][data-view="list"]').waitFor();
      const row = mobile.locator(`[data-testid="calendar-entry"][data-post="${postId}"]`);
      await row.waitFor();
      const before = await row.innerText();
      const move = row.getByTestId('entry-move');
      const box = await move.boundingBox();
      expect(box && box.height >= 44 && box.width >= 44, `"Pindahkan" is smaller than 44 px: ${JSON.stringify(box)}`);
      await move.click();
      await mobile.getByTestId('move-at').waitFor();
      const current = (await mobile.getByTestId('move-at').getAttribute('data-value')).slice(11, 16).replace(':', '');
      const offered = await goodHours(mobile, 'move-at');
      const other = offered.slots.find((s) => s.slot !== current);
      expect(other, `no other hour offered on ${moved} than ${current}: ${offered.text}`);
      await other.button.click();
      await shot(mobile, '3-phone-move-dialog');
      await mobile.getByTestId('move-confirm').click();
      await mobile.getByText(/^Dipindah ke /).first().waitFor();
      const time = `${other.slot.slice(0, 2)}.${other.slot.slice(2)}`;
      await row.filter({ hasText: time }).waitFor();
      expect(before !== (await row.innerText()), 'the row did not change');
      const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `the calendar is wider than the phone by ${overflow} px`);
      await shot(mobile, '4-phone-moved');

      // Filters fold away behind one button; a platform filter keeps the X post in the list.
      await mobile.getByTestId('filters-toggle').click();
      await mobile.getByTestId('filter-platform').click();
      await mobile.getByRole('option', { name: 'X', exact: true }).click();
      await mobile.getByTestId('filter-clear').waitFor();
      await row.waitFor();
      await mobile.getByTestId('filter-clear').click();
      await mobile.getByTestId('filters-toggle').click();

      // A post starts from a template on an observance day (17 August, Hari Kemerdekaan).
      const year = Number(jakartaDay(0).slice(0, 4)) + (jakartaDay(0).slice(5) > '08-17' ? 1 : 0);
      await mobile.goto(`${BASE}/calendar?date=${year}-08-17`);
      const start = mobile.locator(`[data-testid="observance-template"][data-day="${year}-08-17"]`);
      await start.click();
      await mobile.getByTestId('template-option').first().click();
      await mobile.waitForURL(new RegExp(`/posts/new\\?.*date=${year}-08-17`));
      await mobile.getByTestId('form-title').waitFor();

      // Opening a post from the list.
      await mobile.goto(`${BASE}/calendar?date=${moved}`);
      await row.getByTestId('entry-open').click();
      await mobile.waitForURL(new RegExp(`/posts/${postId}$`));
    } catch (error) {
      // run.mjs photographs its own page; this one is the phone's.
      await shot(mobile, 'phone-failure').catch(() => undefined);
      throw error;
    } finally {
      await phone.close();
    }

    // 5. Publish it (the sandbox account publishes at once) and see it published, with its link.
    await page.goto(postUrl);
    await page.getByTestId('workflow-publish-now').click();
    const deadline = Date.now() + 60_000;
    for (;;) {
      await page.waitForTimeout(1000);
      await page.reload();
      await page.getByTestId('workflow-variants').waitFor();
      // The badge says "Terbit" (shown in capitals); "Sedang terbit" is not there yet.
      if (/^terbit$/im.test(await page.getByTestId('workflow-variants').innerText())) break;
      expect(Date.now() < deadline, `not published after a minute: ${await page.getByTestId('workflow-variants').innerText()}`);
    }
    // Published now, it stands on today.
    await page.goto(`${BASE}/calendar?view=list&date=${jakartaDay(0)}`);
    const published = page.locator(`[data-testid="calendar-entry"][data-post="${postId}"]`);
    await published.waitFor();
    expect((await published.getAttribute('data-status')) === 'published', 'the entry is not shown as published');
    expect((await published.getByTestId('entry-move').count()) === 0, 'a published post offers to move');
    const link = published.getByTestId('entry-external-link');
    const href = await link.getAttribute('href');
    expect(/^https:\/\/\S+\/status\/\d+$/.test(href ?? ''), `not a link to the post: ${href}`);
    // The sandbox's address is not on the internet: answer it here to follow the link.
    await page.context().route(`${new URL(href).origin}/**`, (route) => route.fulfill({ status: 200, body: 'ok' }));
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    expect(popup.url() === href, `the link opened ${popup.url()}`);
    await popup.close();
    await shot(page, '5-calendar-published');
  });
}
