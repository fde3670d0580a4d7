// Inbox scenario on a phone (375 px): a follower's question arrives on a sandbox account, is
// routed to the expert of its topic, who answers it from the phone, and it shows as answered.
import { PHONE } from './phone.mjs';

// The demo's experts by the name shown on an assigned question (gaung/inbox/demo.py).
const EXPERTS = {
  'Sri Wahyuni': 'kepegawaian@ptpsw.example.go.id',
  'Dr. Budi Santoso': 'iklim@ptpsw.example.go.id',
  'Dr. Rina Hidayati': 'air@ptpsw.example.go.id',
  'Ir. Bambang Setiawan': 'bencana@ptpsw.example.go.id',
  'Dewi Lestari': 'spasial@ptpsw.example.go.id',
  'Agus Prasetyo': 'wilayah@ptpsw.example.go.id',
  'Nur Aini': 'layanan@ptpsw.example.go.id',
};

export function registerInbox({ test, expect, loginAs, BASE, DEMO_PASSWORD }) {
  test('inbox: a question on a sandbox account is routed to its expert and answered from a phone', async ({
    browser,
  }) => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await loginAs(page, 'admin@ptpsw.example.go.id', DEMO_PASSWORD);
      await page.getByTestId('nav-burger').click();
      await page.getByTestId('nav-inbox').click();
      await page.waitForURL(/\/inbox$/);
      await page.getByTestId('inbox-practice').click();
      const card = page.getByTestId('inbox-card').filter({ hasText: 'Untuk ' }).first();
      await card.waitFor();
      const text = await card.innerText();
      const name = Object.keys(EXPERTS).find((n) => text.includes(n));
      expect(name, `the question was not routed to a demo expert: ${text}`);
      expect(/ditugaskan/i.test(text), `not shown as assigned: ${text}`);
      const question = text.split('\n').find((line) => line.length > 25) ?? '';

      await page.getByTestId('user-menu').click();
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login/);
      await loginAs(page, EXPERTS[name], DEMO_PASSWORD);
      await page.goto(`${BASE}/inbox`);
      await page.getByTestId('inbox-view').getByText('Pertanyaan saya').click();
      const mine = page.getByTestId('inbox-card').filter({ hasText: question.slice(0, 30) }).first();
      await mine.click();
      await page.waitForURL(/\/inbox\/\d+$/);
      await page.getByTestId('inbox-why').waitFor();
      await page.getByTestId('inbox-answer-text').fill('Terima kasih, informasinya ada di situs resmi kami.');
      await page.getByTestId('inbox-answer-send').click();
      await page.getByTestId('inbox-message-own').waitFor();
      await page.getByTestId('inbox-status').filter({ hasText: 'Dijawab' }).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width <= 375, `the conversation scrolls sideways on a phone (${width}px)`);

      await page.getByText('Kembali ke kotak masuk').click();
      await page.getByTestId('inbox-view').getByText('Semua').click();
      await page
        .getByTestId('inbox-card')
        .filter({ hasText: question.slice(0, 30) })
        .filter({ hasText: 'Dijawab' })
        .first()
        .waitFor();
    } finally {
      await context.close();
    }
  });
}
