import { describe, expect, it } from 'vitest';
import type { Account, Problem } from '../../src/api/types';
import { fieldOf, firstErrorField, problemsByField, threadPartOf, visibleProblems } from '../../src/features/composer/validation';

const accounts = [{ id: 1, platform: 'x' }, { id: 2, platform: 'instagram' }] as Account[];
const body = { variants: [{ account_id: 2, text: '', media_ids: [] }, { account_id: 1, text: '', media_ids: [] }] };
const problem = (p: Partial<Problem>): Problem => ({
  field: '',
  variant_index: null,
  platform: null,
  rule: 'r',
  message: 'm',
  params: {},
  ...p,
});

describe('validation display', () => {
  it('puts a variant problem beside its platform text or media', () => {
    expect(fieldOf(problem({ field: 'variants.1.text', variant_index: 1, platform: 'x', rule: 'x.text.too_long' }), body, accounts)).toBe('platform.x.text');
    expect(fieldOf(problem({ field: 'variants.0.media_ids', rule: 'instagram.media.required' }), body, accounts)).toBe('platform.instagram.media');
    expect(fieldOf(problem({ field: 'variants.0', variant_index: 0, rule: 'media.alt_text.missing' }), body, accounts)).toBe('platform.instagram.media');
  });

  it('puts an option problem beside the options, a thread post beside its own box', () => {
    const part = problem({ field: 'variants.1.options.thread.1', variant_index: 1, platform: 'x', rule: 'x.thread.part_too_long' });
    expect(fieldOf(part, body, accounts)).toBe('platform.x.options');
    expect(fieldOf(problem({ field: 'variants.0.options.first_comment', rule: 'instagram.first_comment.too_long' }), body, accounts)).toBe(
      'platform.instagram.options',
    );
    // The server numbers only the posts sent: a blank one in the form is skipped.
    expect(threadPartOf(part, ['dua', ' ', 'tiga'])).toBe(2);
    expect(threadPartOf(part, ['dua'])).toBeNull();
    expect(threadPartOf(problem({ field: 'variants.1.options.thread' }), ['dua'])).toBeNull();
  });

  it('puts post problems beside the post fields', () => {
    expect(fieldOf(problem({ field: 'title', rule: 'string_too_long' }), body, accounts)).toBe('title');
    expect(fieldOf(problem({ field: 'data_source' }), body, accounts)).toBe('dataSource');
    expect(fieldOf(problem({ field: 'variants', rule: 'too_short' }), body, accounts)).toBe('accountIds');
    expect(fieldOf(problem({ field: 'something' }), body, accounts)).toBe('general');
  });

  it('stays quiet on untouched fields until a save is tried, and finds the first field in page order', () => {
    const byField = problemsByField(
      [problem({ field: 'planned_at' }), problem({ field: 'variants.1.text' }), problem({ field: 'title' })],
      body,
      accounts,
    );
    expect([...visibleProblems(byField, () => false, false).keys()]).toEqual([]);
    expect([...visibleProblems(byField, (f) => f === 'platform.x.text', false).keys()]).toEqual(['platform.x.text']);
    const all = visibleProblems(byField, () => false, true);
    expect(all.size).toBe(3);
    expect(firstErrorField(all.keys())).toBe('title');
    expect(firstErrorField(['plannedAt', 'platform.x.text'])).toBe('platform.x.text');
    expect(firstErrorField([])).toBeNull();
  });
});
