import { type CSSVariablesResolver, DEFAULT_THEME, createTheme } from '@mantine/core';

// Mantine's default shades for text and filled buttons (grey, blue, red, pink… at shade 6) are
// 2.5–3.8:1 on white. Each colour gets a shade (or a darker value) that reaches 4.5:1 (WCAG AA):
// `strong` for text on white and white text on it, `onLight` for text on the colour's own pale
// background (light badges and alerts). tests/theme.test.ts checks every pair.
type Shade = number | string;
export const CONTRAST: Record<string, { strong: Shade; onLight: Shade }> = {
  gray: { strong: 7, onLight: 7 },
  red: { strong: 9, onLight: '#bf2828' },
  pink: { strong: 7, onLight: 9 },
  grape: { strong: 7, onLight: 9 },
  violet: { strong: 6, onLight: 8 },
  indigo: { strong: 7, onLight: 9 },
  blue: { strong: 8, onLight: 9 },
  cyan: { strong: 9, onLight: 9 },
  teal: { strong: '#087956', onLight: '#087956' },
  green: { strong: '#257535', onLight: '#257535' },
  lime: { strong: '#4a760a', onLight: '#4a760a' },
  yellow: { strong: '#a15300', onLight: '#a15300' },
  orange: { strong: '#b83d0d', onLight: '#b83d0d' },
};

/** The colour a shade stands for: a palette index or a value of its own. */
export function shadeValue(color: string, shade: Shade): string {
  return typeof shade === 'number' ? DEFAULT_THEME.colors[color]![shade]! : shade;
}

function cssShade(color: string, shade: Shade): string {
  return typeof shade === 'number' ? `var(--mantine-color-${color}-${shade})` : shade;
}

export const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'md',
});

export const cssVariablesResolver: CSSVariablesResolver = () => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': cssShade('gray', CONTRAST.gray!.strong),
    // Links also sit on pale alerts and cards: the shade that passes there too.
    '--mantine-color-anchor': cssShade('blue', CONTRAST.blue!.onLight),
    '--mantine-color-error': cssShade('red', CONTRAST.red!.strong),
    // Placeholders (the date picker's is text on the page) read like the rest of the dimmed text.
    '--mantine-color-placeholder': cssShade('gray', CONTRAST.gray!.strong),
  };
  for (const [color, { strong, onLight }] of Object.entries(CONTRAST)) {
    const value = cssShade(color, strong);
    light[`--mantine-color-${color}-filled`] = value;
    light[`--mantine-color-${color}-filled-hover`] = cssShade(color, onLight);
    light[`--mantine-color-${color}-text`] = value;
    light[`--mantine-color-${color}-outline`] = value;
    light[`--mantine-color-${color}-light-color`] = cssShade(color, onLight);
  }
  return { variables: {}, light, dark: {} };
};
