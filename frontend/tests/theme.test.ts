import { DEFAULT_THEME } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { CONTRAST, cssVariablesResolver, shadeValue, theme } from '../src/app/theme';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('theme contrast', () => {
  it.each(Object.entries(CONTRAST))('%s text and filled backgrounds reach 4.5:1', (color, { strong, onLight }) => {
    const palette = DEFAULT_THEME.colors[color]!;
    expect(contrast(shadeValue(color, strong), '#ffffff')).toBeGreaterThanOrEqual(4.5);
    for (const background of ['#ffffff', palette[0]!, palette[1]!]) {
      expect(contrast(shadeValue(color, onLight), background)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('covers every colour the palette has and sets the variables components use', () => {
    const colors = Object.keys(DEFAULT_THEME.colors).filter((c) => c !== 'dark');
    expect(Object.keys(CONTRAST).sort()).toEqual(colors.sort());
    const { light } = cssVariablesResolver({ ...DEFAULT_THEME, ...theme } as never);
    expect(light['--mantine-color-dimmed']).toBe('var(--mantine-color-gray-7)');
    expect(light['--mantine-color-blue-filled']).toBe('var(--mantine-color-blue-8)');
    expect(light['--mantine-color-pink-text']).toBe('var(--mantine-color-pink-7)');
    expect(light['--mantine-color-green-light-color']).toBe('#257535');
  });
});
