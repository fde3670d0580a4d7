// Composer scenarios: write a three-platform post with an image, watch the X counter, save,
// submit; an approver approves with the checklist and schedules. Desktop and a 375-px phone.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHONE } from './phone.mjs';

const shots = join(dirname(fileURLToPath(import.meta.url)), 'artifacts', 'composer');

async function shot(page, name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Registers the scenarios with run.mjs's helpers. */
export function composerTests({ test, BASE, expect, loginAs, makeJpeg, password }) {
  async function logout(page) {
    const burger = page.getByTestId('nav-burger');
    if (await burger.isVisible().catch(() => false)) await burger.click();
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
  }

  async function compose(page, title, { phone }) {
    await page.goto(`${BASE}/posts/new`);
    await page.getByTestId('form-title').fill(title);
    for (const platform of ['x', 'instagram', 'facebook']) {
      await page.locator(`[data-testid^="account-${platform}-"]`).first().check();
    }
    await page.getByTestId('text-base').fill('Inovasi teknologi untuk pembangunan daerah bersama warga.');
    await page.getByTestId('hashtags-base').fill('#PTPSW ');
    const jpeg = await makeJpeg(page);
    await page.getByTestId('file-base').setInputFiles({ name: 'kotak.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    const thumb = page.getByTestId('media-base').getByTestId('media-thumb');
    await thumb.waitFor({ timeout: 15_000 });
    await thumb.getByTestId('media-alt').fill('Poster bertuliskan Gaung dengan latar biru dan hijau');
    await page.getByTestId('form-title').click();
    // The first good hour offered (from the unit's history, else its default slots).
    await page.locator('[data-testid^="form-planned-slot-"]').first().click();

    // X: past 280 the counter turns red and the overflow is marked; back under, it clears.
    await page.getByTestId('tab-x').click();
    const counter = page.getByTestId('counter-x');
    expect((await counter.getAttribute('data-over')) === 'false', 'the X counter is red before typing');
    const longText = 'Teknologi untuk daerah: '.repeat(13).trim();
    await page.getByTestId('text-x').fill(longText);
    await counter.and(page.locator('[data-over="true"]')).waitFor();
    await page.getByTestId('mirror-x').locator('[data-overflow="true"]').waitFor();
    await page.getByTestId('problems-x').waitFor({ timeout: 10_000 });
    await shot(page, `${phone ? 'phone' : 'desktop'}-x-over`);
    await page.getByTestId('inherit-x').click();
    await counter.and(page.locator('[data-over="false"]')).waitFor();
    await page.getByTestId('problems-x').waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByTestId('tab-preview').click();
    await page.getByTestId('preview-instagram').waitFor();
    await shot(page, `${phone ? 'phone' : 'desktop'}-previews`);

    await page.getByTestId('validation-status').filter({ hasText: /sesuai aturan/ }).waitFor({ timeout: 20_000 });
    expect((await page.getByTestId('save-error').count()) === 0, 'a stale error beside a valid post');
    await page.getByTestId('form-save').click();
    await page.waitForURL(/\/posts\/\d+$/, { timeout: 15_000 });
    await page.getByTestId('workflow').waitFor();
    return page.url();
  }

  async function flow(page, { phone }) {
    const title = `Komposer e2e ${phone ? 'ponsel' : 'desktop'} ${Date.now()}`;
    await loginAs(page, 'editor@ptpsw.example.go.id', password);
    const url = await compose(page, title, { phone });
    await page.getByTestId('workflow-submit').click();
    await page.getByTestId('workflow-variants').filter({ hasText: 'Ditinjau' }).waitFor();
    await shot(page, `${phone ? 'phone' : 'desktop'}-submitted`);
    await logout(page);

    await loginAs(page, 'admin@ptpsw.example.go.id', password);
    await page.goto(url);
    await page.getByTestId('workflow-approve').click();
    const dialog = page.getByTestId('approve-dialog');
    await dialog.waitFor();
    const confirm = page.getByTestId('workflow-approve-confirm');
    const items = dialog.getByTestId('checklist-item');
    const n = await items.count();
    expect(n === 0 || (await confirm.isDisabled()), 'approving was offered before the checklist was ticked');
    for (let i = 0; i < n; i++) await items.nth(i).check();
    await shot(page, `${phone ? 'phone' : 'desktop'}-approve`);
    await confirm.click();
    await page.getByTestId('workflow-variants').filter({ hasText: 'Disetujui' }).waitFor();
    await page.getByTestId('workflow-schedule').click();
    const good = page.locator('[data-testid^="workflow-schedule-at-slot-"]').last();
    const slot = (await good.getAttribute('data-testid')).slice(-4);
    await good.click();
    await page.getByTestId('workflow-schedule-confirm').click();
    const variants = page.getByTestId('workflow-variants');
    await variants.filter({ hasText: 'Terjadwal' }).waitFor();
    const shown = await variants.innerText();
    const hhmm = new RegExp(`${slot.slice(0, 2)}[.:]${slot.slice(2)}`);
    expect(hhmm.test(shown) && /WIB/.test(shown), `scheduled time ${slot} not shown in WIB: ${shown}`);
    await shot(page, `${phone ? 'phone' : 'desktop'}-scheduled`);
  }

  test('composer: a three-platform post is written, submitted, approved with the checklist and scheduled', async ({ page }) => {
    await flow(page, { phone: false });
  });

  test('composer on a 375-px phone: the same path', async ({ browser }) => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      await flow(page, { phone: true });
    } catch (error) {
      // run.mjs photographs its own page; this one is the phone's.
      await shot(page, 'phone-failure').catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  });

  test('composer: unsaved edits survive a reload and the leave guard asks first', async ({ page }) => {
    await loginAs(page, 'editor@ptpsw.example.go.id', password);
    await page.goto(`${BASE}/posts/new`);
    await page.getByTestId('form-title').fill('Belum disimpan');
    await page.getByTestId('text-base').fill('Teks yang tidak boleh hilang.');
    await page.waitForTimeout(900); // the draft is written after typing pauses
    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    expect((await page.getByTestId('text-base').inputValue()) === 'Teks yang tidak boleh hilang.', 'the draft was not restored');
    await page.getByTestId('form-cancel').click();
    await page.getByTestId('leave-guard').waitFor();
    await page.getByTestId('leave-stay').click();
    expect(/\/posts\/new/.test(page.url()), 'the guard did not keep the page');
    await page.getByTestId('draft-discard').click();
    await page.getByTestId('form-cancel').click();
    await page.waitForURL(/\/posts(\?.*)?$/);
  });

  test('composer: a missing post offers the way back', async ({ page }) => {
    await loginAs(page, 'editor@ptpsw.example.go.id', password);
    await page.goto(`${BASE}/posts/999999`);
    await page.getByTestId('post-missing').waitFor();
    expect((await page.getByText('Coba lagi').count()) === 0, 'a useless retry on a missing post');
  });
}
