// Runs axe-core inside a page and fails on serious or critical violations. The full report of
// every check is written beside the screenshots (e2e/artifacts/a11y/<label>.json).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const REPORTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts', 'a11y');
const BLOCKING = new Set(['serious', 'critical']);

/** Checks what the page shows now; throws listing each serious/critical violation. */
export async function checkA11y(page, label) {
  // Evaluated, not added as a <script>: the app's Content-Security-Policy forbids inline scripts.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.slice(0, 300),
        summary: n.failureSummary,
      })),
    }));
  });
  mkdirSync(REPORTS, { recursive: true });
  const file = join(REPORTS, `${label.replace(/[^a-z0-9]+/gi, '-')}.json`);
  writeFileSync(file, JSON.stringify({ label, url: page.url(), violations }, null, 2));
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  if (blocking.length) {
    const lines = blocking.flatMap((v) => [
      `${v.impact} ${v.id}: ${v.help}`,
      ...v.nodes.slice(0, 5).map((n) => `    ${n.target}  ${n.html.slice(0, 120)}\n      ${(n.summary ?? '').split('\n').join(' ')}`),
    ]);
    throw new Error(`axe on ${label} (${page.url()}), report ${file}:\n${lines.join('\n')}`);
  }
  return violations;
}

// Controls a finger must hit; inline text links are exempt (WCAG 2.5.8), inputs only need height.
const TARGETS =
  'button, [role="button"], [role="menuitem"], [role="tab"], [role="option"], a.mantine-Button-root, ' +
  'a.mantine-NavLink-root, input.mantine-Input-input, .mantine-Select-input';

/** On a phone: every visible control is at least 44 × 44 px; throws listing the small ones. */
export async function checkTouchTargets(page, label, min = 44) {
  const small = await page.evaluate(
    ({ selector, min }) =>
      Array.from(document.querySelectorAll(selector))
        .filter((el) => {
          const box = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          if (!box.width || !box.height || style.visibility === 'hidden') return false;
          if (el.closest('[aria-hidden="true"], [inert]')) return false;
          // A control drawn over a bigger clickable label (checkboxes, radios) is hit through it.
          if (el.closest('label') && el.closest('label').getBoundingClientRect().height >= min) return false;
          const isInput = el.tagName === 'INPUT';
          return box.height < min - 0.5 || (!isInput && box.width < min - 0.5);
        })
        .map((el) => {
          const box = el.getBoundingClientRect();
          const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('data-testid') || '').trim();
          return `${el.tagName.toLowerCase()} "${name.slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`;
        }),
    { selector: TARGETS, min },
  );
  if (small.length) throw new Error(`touch targets under ${min} px on ${label}:\n    ${small.join('\n    ')}`);
}
