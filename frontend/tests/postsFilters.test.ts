import { describe, expect, it } from 'vitest';
import { filtersFor } from '../src/features/posts/PostsPage';
import { parsePostsSearch } from '../src/features/posts/search';

const UNIT = { id: 4, name: 'PTPSW', slug: 'ptpsw', timezone: 'Asia/Jakarta', approval_required: true, four_eyes: true, checklist: [], default_slots: ['09:00'], require_alt_text: true, created_at: '' };

describe('posts list filters', () => {
  it('turns the URL search into API filters, days read in the unit zone', () => {
    const search = parsePostsSearch({
      from: '2026-03-01',
      to: '2026-03-31',
      status: 'draft',
      platform: 'instagram',
      account: '2',
      category: 'Acara',
      q: 'pameran',
    });
    expect(filtersFor(UNIT, search)).toEqual({
      unit_id: 4,
      date_from: '2026-02-28T17:00:00.000Z',
      date_to: '2026-03-31T16:59:59.000Z',
      status: 'draft',
      platform: 'instagram',
      account_id: 2,
      category: 'Acara',
      q: 'pameran',
      limit: 20,
    });
  });

  it('drops malformed search values', () => {
    expect(parsePostsSearch({ from: '1 Maret', status: 'gone', platform: 'tiktok', account: '-1' })).toEqual({
      from: undefined,
      to: undefined,
      status: undefined,
      platform: undefined,
      account: undefined,
      category: undefined,
      q: undefined,
    });
  });
});
