// Public-information requests and complaints on a phone (375 px): a practice question phrased
// as a request for data is suggested as one with its words, marked with one click, and its
// UU KIP deadline extended with a written reason (the due date moves); a complaint gets its
// SP4N-LAPOR! reference and status. Each step is checked with axe-core and for 44-px targets.
import { checkA11y, checkTouchTargets } from './axe.mjs';
import { PHONE } from './phone.mjs';

const REQUEST = 'Selamat siang min, sy mau minta data curah hujan thn 2020 di Kab. Demak utk skripsi';
const COMPLAINT = 'Sudah 2 minggu laporan saya gak ditanggapi, saya kecewa sekali';
const REASON = 'Data curah hujan perlu dihimpun dari tiga stasiun pengamatan.';
const REFERENCE = 'LAPOR-2611-0042';

async function api(BASE, path, { token, body, method } = {}) {
  const response = await fetch(`${BASE}/api/v1${path}`, {
    method: method ?? (body ? 'POST' : 'GET'),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export function registerInboxCase({ test, expect, loginAs, BASE, DEMO_PASSWORD }) {
  test('inbox case: a request is suggested, marked and extended with a reason; a complaint gets its LAPOR number (375 px)', async ({
    browser,
  }) => {
    const email = 'admin@ptpsw.example.go.id';
    const { access_token: token } = await api(BASE, '/auth/login', { body: { email, password: DEMO_PASSWORD } });
    const accounts = await api(BASE, '/accounts', { token });
    const sandbox = accounts.items.find((a) => a.sandbox);
    expect(sandbox, 'the demo has no sandbox account');
    const asked = async (text) =>
      (await api(BASE, '/inbox/practice-questions', { token, body: { account_id: sandbox.id, text } })).id;
    const requestId = await asked(REQUEST);
    const complaintId = await asked(COMPLAINT);

    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const noSideways = async (where) => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width <= 375, `${where} scrolls sideways on a phone (${width}px)`);
      await checkA11y(page, `inboxcase-${where.replace(/^the /, '')}-phone`);
      await checkTouchTargets(page, `inboxcase-${where.replace(/^the /, '')}-phone`);
    };
    try {
      await loginAs(page, email, DEMO_PASSWORD);

      // The request: suggested with the words that made it, marked with one click.
      await page.goto(`${BASE}/inbox/${requestId}`);
      const suggestion = page.getByTestId('inbox-kind-suggestion');
      await suggestion.waitFor();
      expect(
        (await suggestion.getAttribute('data-kind')) === 'information_request',
        'the request is not suggested as a public-information request',
      );
      const words = await page.getByTestId('inbox-kind-word').allInnerTexts();
      expect(words.includes('minta data'), `the matched words are not shown: ${words}`);
      await noSideways('the suggestion');
      await page.getByTestId('inbox-kind-accept').click();
      const due = page.getByTestId('inbox-kip-due');
      await due.waitFor();
      expect((await suggestion.count()) === 0, 'the suggestion stays after marking');
      const before = await due.innerText();
      const left = await page.getByTestId('inbox-kip-left').innerText();
      expect(/Sisa 1[01] hari kerja/.test(left), `unexpected working days left: ${left}`);

      // Extending needs a written reason; the due date moves.
      await page.getByTestId('inbox-kip-extend').click();
      const send = page.getByTestId('inbox-kip-extend-send');
      await page.getByTestId('inbox-kip-reason').fill('nanti');
      expect(await send.isDisabled(), 'a too-short reason can be sent');
      await page.getByTestId('inbox-kip-reason').fill(REASON);
      // The dialog's opening transition over and the button enabled: axe reads the colours on
      // the screen, not a frame of the fade.
      await page.locator('[data-testid="inbox-kip-extend-send"]:not(:disabled)').waitFor();
      await page.waitForFunction(() => {
        const content = document.querySelector('[role="dialog"]');
        return content !== null && getComputedStyle(content).opacity === '1';
      });
      await page.waitForTimeout(350);
      await checkA11y(page, 'inboxcase-extend-dialog-phone');
      await checkTouchTargets(page, 'inboxcase-extend-dialog-phone');
      await send.click();
      await page.getByTestId('inbox-kip-reason-shown').waitFor();
      // The dialog's closing transition over: axe reads the colours on the screen.
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      const after = await due.innerText();
      expect(after !== before, `the due date did not move: ${before} -> ${after}`);
      expect((await page.getByTestId('inbox-kip-extend').count()) === 0, 'the deadline can be extended twice');
      await noSideways('the legal clock');

      // The complaint: marked, then its SP4N-LAPOR! reference and status.
      await page.goto(`${BASE}/inbox/${complaintId}`);
      await page.locator('[data-testid="inbox-kind-suggestion"][data-kind="complaint"]').waitFor();
      await page.getByTestId('inbox-kind-accept').click();
      await page.getByTestId('inbox-lapor-reference').fill(REFERENCE);
      await page.getByTestId('inbox-lapor-status').click();
      await page.getByRole('option', { name: 'Diproses' }).click();
      await page.getByTestId('inbox-lapor-save').click();
      await page.reload();
      await page.getByTestId('inbox-lapor-reference').waitFor();
      const saved = await page.getByTestId('inbox-lapor-reference').inputValue();
      expect(saved === REFERENCE, `the LAPOR reference was not kept: ${saved}`);
      const status = await page.getByTestId('inbox-lapor-status').inputValue();
      expect(status === 'Diproses', `the LAPOR status was not kept: ${status}`);
      await noSideways('the complaint');
    } finally {
      await context.close();
    }
  });
}
