// Every screen of the app, checked with axe-core on a desktop and on a 375-px phone (where
// every control must also be at least 44 px); no status badge may be cut short.
// A new screen is one more line in SCREENS.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkA11y, checkTouchTargets } from './axe.mjs';

// Screenshots of every screen checked, beside the axe reports.
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts', 'a11y');

/**
 * Opened after logging in (except `login`); `ready` (a CSS selector) is shown once the screen
 * has its data; `open` is clicked first to check what it opens (a menu, a popover).
 */
export const SCREENS = [
  { name: 'posts', path: '/posts', ready: '[data-testid="new-post"]' },
  { name: 'post-new', path: '/posts/new' },
  { name: 'post-edit', path: '/posts/1' },
  { name: 'post-missing', path: '/posts/999999' },
  { name: 'accounts', path: '/accounts', ready: '[data-testid="account-card"]' },
  { name: 'holds', path: '/holds', ready: '[data-testid="hold-state"]' },
  { name: 'user-menu', path: '/posts', open: '[data-testid="user-menu"]', ready: '[data-testid="logout"]' },
  { name: 'notifications', path: '/posts', open: '[data-testid="notification-bell"]', ready: '[data-testid="notification-list"]' },
  { name: 'navigation', path: '/posts', phoneOnly: true, open: '[data-testid="nav-burger"]', ready: '[data-testid="nav-posts"]' },
  { name: 'calendar', path: '/calendar', ready: '[data-testid="calendar-legend"]' },
  { name: 'dashboard', path: '/dashboard', ready: '[data-testid="heatmap"]' },
  { name: 'inbox', path: '/inbox' },
  { name: 'inbox-topics', path: '/inbox/settings', ready: '[data-testid="topic-card"]' },
  { name: 'inbox-saved', path: '/inbox/settings', open: '[data-testid="inbox-settings-tab-saved"]', ready: '[data-testid="saved-search"]' },
  { name: 'inbox-settings', path: '/inbox/settings', open: '[data-testid="inbox-settings-tab-settings"]', ready: '[data-testid="settings-save"]' },
  { name: 'inbox-privacy', path: '/inbox/settings', open: '[data-testid="inbox-settings-tab-privacy"]', ready: '[data-testid="privacy-rule"]' },
  { name: 'integrations', path: '/integrations' },
  { name: 'not-found', path: '/no-such-screen' },
];

const VIEWPORTS = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 900 } } },
  { name: 'phone', options: { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true } },
];

async function settle(page, ready) {
  if (ready) await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  // Loaders gone and transitions (menus, popovers) over: axe reads the colours on the screen.
  await page.locator('.mantine-Loader-root').first().waitFor({ state: 'detached' }).catch(() => undefined);
  await page.waitForTimeout(350);
}

/** Registers the scenario with the runner: `a11yTests({ test, login, BASE })`. */
export function a11yTests({ test, login, BASE }) {
  for (const device of VIEWPORTS) {
    test(`axe: no serious or critical violation on any screen (${device.name})`, async ({ browser }) => {
      const context = await browser.newContext({ ...device.options, locale: 'id-ID' });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const failures = [];
      mkdirSync(SHOTS, { recursive: true });
      const check = async (name, fn) => {
        try {
          await fn();
          await page.screenshot({ path: join(SHOTS, `${name}-${device.name}.png`), fullPage: true });
          await checkA11y(page, `${name}-${device.name}`);
          if (device.name === 'phone') await checkTouchTargets(page, `${name}-${device.name}`);
          const clipped = await page.evaluate(() =>
            Array.from(document.querySelectorAll('.mantine-Badge-label'))
              .filter((el) => el.scrollWidth > el.clientWidth + 1)
              .map((el) => el.textContent),
          );
          if (clipped.length) throw new Error(`badges cut short: ${clipped.join(', ')}`);
        } catch (error) {
          failures.push(`${name}: ${String(error?.message ?? error)}`);
        }
      };
      try {
        await check('login', async () => {
          await page.goto(`${BASE}/login`);
          await settle(page, '[data-testid="login-submit"]');
        });
        await login(page);
        for (const screen of SCREENS) {
          if (screen.phoneOnly && device.name !== 'phone') continue;
          await check(screen.name, async () => {
            await page.goto(`${BASE}${screen.path}`);
            if (screen.open) {
              await settle(page, screen.open);
              await page.locator(screen.open).first().click();
            }
            await settle(page, screen.ready);
          });
        }
      } finally {
        await context.close();
      }
      if (failures.length) throw new Error(failures.join('\n\n'));
    });
  }
}
