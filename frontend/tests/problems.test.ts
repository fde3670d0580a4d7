import { describe, expect, it } from 'vitest';
import i18n from '../src/i18n';
import type { Problem } from '../src/api/types';
import { problemText, problemsByVariant, problemsFromFields } from '../src/lib/problems';

const tooLong: Problem = {
  field: 'variants.0.text',
  variant_index: 0,
  account_id: 1,
  platform: 'x',
  rule: 'x.text.too_long',
  message: 'X: 291/280 weighted characters',
  params: { length: 291, max: 280 },
};

describe('problemText', () => {
  it('translates a rule code with its params', async () => {
    expect(problemText(i18n, tooLong)).toBe('X: 291/280 karakter berbobot — terlalu panjang');
    await i18n.changeLanguage('en');
    expect(problemText(i18n, tooLong)).toBe('X: 291/280 weighted characters — too long');
  });

  it('uses the generic translation of a rule without the platform prefix', () => {
    const problem: Problem = {
      ...tooLong,
      platform: 'instagram',
      rule: 'instagram.text.too_many_hashtags',
      message: 'Instagram: 31 hashtags',
      params: { count: 31, max: 30 },
    };
    expect(problemText(i18n, problem)).toBe('Instagram: 31 tagar, paling banyak 30');
  });

  it('phrases the X rules that used to reach users in English', async () => {
    await i18n.changeLanguage('id');
    const invalid: Problem = {
      ...tooLong,
      rule: 'x.text.invalid_characters',
      message: 'X: the text contains characters X does not accept (U+FEFF)',
      params: { characters: ['U+FEFF'] },
    };
    expect(problemText(i18n, invalid)).toBe('X: teks memuat karakter yang tidak diterima X (U+FEFF)');
    const images: Problem = {
      ...tooLong,
      field: 'variants.0.media',
      rule: 'x.media.too_many_images',
      message: 'X: 5 images attached, at most 4 per post',
      params: { count: 5, max: 4 },
    };
    expect(problemText(i18n, images)).toBe('X: 5 gambar, paling banyak 4 per posting');
    await i18n.changeLanguage('en');
    expect(problemText(i18n, images)).toBe('X: 5 images, at most 4 per post');
  });

  it("names a network in a sentence by its own name", () => {
    const facebook: Problem = {
      ...tooLong,
      platform: 'facebook',
      rule: 'facebook.text.too_long',
      message: 'Facebook: 63,207/63,206 characters',
      params: { length: 63207, max: 63206 },
    };
    expect(problemText(i18n, facebook)).toBe('Facebook: 63207/63206 karakter — terlalu panjang');
  });

  it("falls back to the server's message for unknown rules or missing params", () => {
    expect(problemText(i18n, { ...tooLong, rule: 'x.poll.too_many_options', message: 'X: poll' })).toBe('X: poll');
    expect(problemText(i18n, { ...tooLong, params: {} })).toBe('X: 291/280 weighted characters');
  });
});

describe('problemsByVariant', () => {
  it('groups by variant index and keeps post-level problems apart', () => {
    const general = problemsFromFields({ title: 'Field required' });
    const grouped = problemsByVariant([tooLong, { ...tooLong, variant_index: 2 }, ...general]);
    expect(grouped.get(0)).toHaveLength(1);
    expect(grouped.get(2)).toHaveLength(1);
    expect(grouped.get(-1)?.[0].message).toBe('Field required');
  });

  it('reads the variant index from the field path when the server sent fields only', () => {
    const [problem] = problemsFromFields({ 'variants.1.text': 'X: 300/280 weighted characters' });
    expect(problem.variant_index).toBe(1);
    expect(problemsByVariant([problem]).get(1)).toHaveLength(1);
  });
});
