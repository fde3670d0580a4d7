// Inbox settings on a phone (375 px): an admin adds a keyword to a topic, sees a question
// routed by it in the "try a question" box, adds a saved answer and records a privacy request.
import { PHONE } from './phone.mjs';

const QUESTION = 'Kak, kapan ada pameran teknologi lagi di gedung PTPSW?';

export function registerInboxAdmin({ test, expect, loginAs, DEMO_PASSWORD }) {
  test('inbox settings: a new keyword routes a question, a saved answer and a privacy request, on a phone', async ({
    browser,
  }) => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('dialog', (dialog) => void dialog.accept());
    try {
      await loginAs(page, 'admin@ptpsw.example.go.id', DEMO_PASSWORD);
      await page.getByTestId('nav-burger').click();
      await page.getByTestId('nav-inbox').click();
      await page.waitForURL(/\/inbox$/);
      await page.getByTestId('inbox-settings-link').click();
      await page.waitForURL(/\/inbox\/settings$/);

      // Before: nothing about exhibitions is routed.
      await page.getByTestId('route-try-input').fill(QUESTION);
      await page.getByTestId('route-try-submit').click();
      await page.getByTestId('route-result').waitFor();
      const before = await page.getByTestId('route-result').innerText();
      expect(!before.includes('Layanan publik'), `routed before the keyword was added: ${before}`);

      // The public-services topic learns "pameran".
      const topic = page.locator('[data-testid="topic-card"][data-topic-key="layanan"]');
      const weights = await topic.getByTestId('topic-weights').innerText();
      expect(/\d,\d/.test(weights), `weights not shown the Indonesian way: ${weights}`);
      await topic.getByTestId('topic-edit').click();
      const box = page.getByTestId('topic-keywords');
      await box.fill(`${await box.inputValue()}\npameran 2`);
      await page.getByTestId('topic-save').click();
      await topic.getByTestId('topic-weights').filter({ hasText: 'pameran 2,0' }).waitFor();

      await page.getByTestId('route-try-submit').click();
      const best = page.getByTestId('route-suggestion').first();
      await best.filter({ hasText: 'Layanan publik' }).waitFor();
      const shown = await best.innerText();
      expect(shown.includes('pameran') && /skor \d+,\d/.test(shown), `no matched word or score: ${shown}`);

      // A saved answer for the topic.
      await page.getByTestId('inbox-settings-tab-saved').click();
      await page.getByTestId('saved-add').click();
      await page.getByTestId('saved-title').fill('Jadwal pameran');
      await page.getByTestId('saved-topic').click();
      await page.getByRole('option', { name: 'Layanan publik' }).click();
      await page.getByTestId('saved-text').fill('Jadwal pameran diumumkan di situs dan akun resmi kami.');
      await page.getByTestId('saved-save').click();
      await page.getByTestId('saved-search').fill('pameran');
      await page.getByTestId('saved-card').filter({ hasText: 'Jadwal pameran' }).waitFor();

      // A privacy request, logged with when it was done and how many messages it touched.
      await page.getByTestId('inbox-settings-tab-privacy').click();
      const rule = await page.getByTestId('privacy-rule').innerText();
      expect(rule.includes('3×24 jam'), `the 3×24-hour rule is not stated: ${rule}`);
      await page.getByTestId('privacy-platform').click();
      await page.getByRole('option', { name: 'Facebook' }).click();
      await page.getByTestId('privacy-handle').fill('warga_uji_privasi');
      await page.getByTestId('privacy-submit').click();
      await page.getByTestId('privacy-done').waitFor();
      const entry = page.getByTestId('privacy-entry').first();
      await entry.filter({ hasText: 'Selesai dalam 3×24 jam' }).waitFor();
      const logged = await entry.innerText();
      expect(/Diminta: /.test(logged) && /0 pesan terdampak/.test(logged), `unexpected log entry: ${logged}`);
      expect(!logged.includes('warga_uji_privasi'), 'the log shows the person');

      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width <= 375, `the settings scroll sideways on a phone (${width}px)`);
    } finally {
      await context.close();
    }
  });
}
