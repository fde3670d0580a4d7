import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import {
  BATCH_MAX,
  PIECE_MAX,
  SPACES,
  countingBatches,
  countingPieces,
  xWeightedLength,
} from '../src/lib/textLength';
import { estimateLength } from '../src/platforms';

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

const ORDINARY = [
  '',
  'Peta rawan longsor kini bisa diunduh gratis di https://data.example.go.id/longsor 🗺️ #DataTerbuka',
  'Lihat example.com/peta?id=7, www.bnpb.go.id dan t.co/abc — juga @bnpb_indonesia.',
  '日本語のテキストと絵文字😷、https://例え.jp/パス と #タグ。\n\n二行目\r\nthird line',
  'Family 👨‍👩‍👧‍👦 flags 🇮🇩🇯🇵 keycap 1️⃣ skin 🙋🏽 text\u00a0nbsp\u3000ideographic space',
  'e\u0301 decomposed, mail name@example.com, $CASH, (https://example.com/(a)b) end.',
];

function randomText(seed: number, size: number): string {
  const parts = ['a', 'b.', '.com', ' ', '\n', 'http://', 'https://x.co/', '日本', '😀', '👨‍👩‍👧', '#t', '@u', '/', '?q=1', '-', '_'];
  let state = seed;
  let text = '';
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    text += parts[state % parts.length];
  }
  return text;
}

describe('xWeightedLength', () => {
  it("equals twitter-text's parseTweet on ordinary texts", () => {
    const texts = [...ORDINARY, ...Array.from({ length: 60 }, (_, i) => randomText(i + 1, 20 + i * 5))];
    for (const text of texts) {
      const normalized = text.normalize('NFC');
      expect(xWeightedLength(normalized), text).toBe(twitterText.parseTweet(text).weightedLength);
    }
  });

  it('counts adversarial texts of the longest accepted size exactly', () => {
    // With parseTweet on the whole text these take from seconds to minutes.
    expect(estimateLength('x', 'a.'.repeat(35_000))).toBe(70_000);
    expect(estimateLength('x', 'a.b/'.repeat(17_500))).toBe(70_000);
    expect(estimateLength('x', 'a.com '.repeat(11_666))).toBe(11_666 * 24);
    expect(estimateLength('x', ' '.repeat(70_000))).toBe(70_000);
    expect(estimateLength('x', '😀'.repeat(35_000))).toBe(70_000);
  });

  it('gives parseTweet only batches whose cost is bounded, so the work is linear', () => {
    // parseTweet is at worst quadratic in a word (between spaces) that holds a dot, and
    // linear otherwise: the sum of squared dotted-word lengths must stay within PIECE_MAX
    // (+1) per character, and a batch is at most BATCH_MAX long or a single piece.
    const shapes = ['a.', 'a', 'http://', '#a', '@a', 'a.b/', 'a.com.', '日.com', '😀👨‍👩‍👧.', '(a.', ' ', 'a.co '];
    for (const shape of shapes) {
      for (const n of [10_000, 70_000]) {
        const text = shape.repeat(Math.ceil(n / shape.length)).slice(0, n);
        expect(countingPieces(text).join(''), shape).toBe(text);
        const batches = countingBatches(text);
        expect(batches.join(''), shape).toBe(text);
        let quadratic = 0;
        for (const batch of batches) {
          expect(batch.length <= BATCH_MAX || countingPieces(batch).length === 1, shape).toBe(true);
          const words = batch.split(SPACES).filter((w) => w.includes('.'));
          for (const word of words) expect(word.length, shape).toBeLessThanOrEqual(PIECE_MAX + 1);
          quadratic += words.reduce((sum, w) => sum + w.length ** 2, 0);
        }
        expect(quadratic, shape).toBeLessThanOrEqual((PIECE_MAX + 1) * n);
      }
    }
  });

  it('answers from memory when the text has not changed', () => {
    const text = 'a.'.repeat(1000);
    expect(estimateLength('x', text)).toBe(2000);
    expect(estimateLength('instagram', 'other')).toBe(5);
    expect(estimateLength('x', text)).toBe(2000);
  });
});
