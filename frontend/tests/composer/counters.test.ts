import { describe, expect, it } from 'vitest';
import { countText, mediaIssues, overflowHint, ratioOutOfRange } from '../../src/features/composer/counters';
import type { MediaItem } from '../../src/features/composer/model';

const image = (id: number, width: number, height: number, alt = ''): MediaItem => ({
  id,
  url: '',
  kind: 'image',
  width,
  height,
  alt,
  filename: null,
});

describe('countText', () => {
  it('counts X with twitter-text weights and finds where the text stops fitting', () => {
    const text = 'a'.repeat(300);
    const c = countText('x', text);
    expect(c.length).toBe(300);
    expect(c.over).toBe(20);
    expect(c.overflowAt).toBe(280);
  });

  it('counts a link as 23 and an emoji as 2 on X, and says so when over', () => {
    const text = `${'b'.repeat(255)} https://example.go.id/berita/panjang-sekali/sekali 🎉`;
    const c = countText('x', text);
    expect(c.length).toBe(255 + 1 + 23 + 1 + 2);
    expect(c.links).toBe(1);
    expect(c.emoji).toBe(1);
    expect(overflowHint(c)).toEqual({ key: 'composer.counter.cutX', values: { over: 2, links: 1, emoji: 1, url: 23 } });
  });

  it('puts the overflow after the last character that fits, past a long earlier batch', () => {
    const words = Array.from({ length: 100 }, (_, i) => `kata${i}`).join(' ');
    const c = countText('x', words);
    expect(c.overflowAt).not.toBeNull();
    expect(countText('x', words.slice(0, c.overflowAt!)).length).toBeLessThanOrEqual(280);
    expect(countText('x', words.slice(0, c.overflowAt! + 1)).length).toBeGreaterThan(280);
  });

  it('fits: no overflow and no hint', () => {
    const c = countText('x', 'Halo 🎉 https://a.id');
    expect(c.over).toBe(0);
    expect(c.overflowAt).toBeNull();
    expect(overflowHint(c)).toBeNull();
  });

  it('counts Instagram in code points with hashtag and mention limits', () => {
    const c = countText('instagram', '🎉'.repeat(2201) + ' #Satu #dua @akun');
    expect(c.length).toBe(2201 + 17);
    expect(c.overflowAt).toBe(4400);
    expect(c.hashtags).toBe(2);
    expect(c.mentions).toBe(1);
    expect(c.maxHashtags).toBe(30);
    expect(overflowHint(c)?.key).toBe('composer.counter.cut');
  });

  it('does not take a # inside a word or a bare number for a hashtag', () => {
    expect(countText('facebook', 'C# dan #2026 dan #Ok').hashtags).toBe(1);
  });
});

describe('media rules', () => {
  it('warns about Instagram ratios outside 4:5 .. 1.91:1, with rounding slack', () => {
    expect(ratioOutOfRange(1080, 1350)).toBeNull();
    expect(ratioOutOfRange(1080, 1351)).toBeNull();
    expect(ratioOutOfRange(1080, 566)).toBeNull();
    expect(ratioOutOfRange(1080, 1920)).toBeCloseTo(0.5625);
    expect(ratioOutOfRange(2000, 500)).toBe(4);
  });

  it('requires media on Instagram, alt text when the unit asks, and limits counts', () => {
    expect(mediaIssues('instagram', [], true)).toEqual([{ rule: 'required' }]);
    expect(mediaIssues('instagram', [image(1, 1080, 1920, 'Foto kegiatan')], true)).toEqual([
      { rule: 'ratio', id: 1, ratio: 1080 / 1920 },
    ]);
    expect(mediaIssues('facebook', [image(2, 10, 10)], true)).toEqual([{ rule: 'alt', id: 2 }]);
    expect(mediaIssues('facebook', [image(2, 10, 10)], false)).toEqual([]);
    const five = [1, 2, 3, 4, 5].map((i) => image(i, 10, 10, 'x'));
    expect(mediaIssues('x', five, true)).toEqual([{ rule: 'tooMany', count: 5, max: 4 }]);
  });
});
