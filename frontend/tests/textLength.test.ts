import { describe, expect, it } from 'vitest';
import { estimateLength } from '../src/lib/textLength';

describe('estimateLength', () => {
  it('counts plain Latin text once per character', () => {
    expect(estimateLength('x', 'Halo dunia')).toBe(10);
  });

  it('weighs a URL as 23 on X but not elsewhere', () => {
    const text = 'Baca https://example.go.id/berita/sangat-panjang-sekali-judul-beritanya';
    expect(estimateLength('x', text)).toBe(5 + 23);
    expect(estimateLength('facebook', text)).toBe(Array.from(text).length);
  });

  it('weighs emoji and CJK as 2 on X', () => {
    expect(estimateLength('x', '👍🏽')).toBe(2);
    expect(estimateLength('x', '日本')).toBe(4);
    expect(estimateLength('instagram', '日本')).toBe(2);
  });
});
