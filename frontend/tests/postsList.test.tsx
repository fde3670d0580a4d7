import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import { postKeys, usePostsList } from '../src/features/posts/queries';
import { fakeFetch, json } from './render';

function post(id: number) {
  return { id, title: `Posting ${id}`, variants: [] };
}

describe('posts list paging', () => {
  it('asks for the next page with the cursor of the last one and appends it', async () => {
    session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
    const fake = fakeFetch({
      'GET /api/v1/posts': (r) => {
        const cursor = new URL(r.url).searchParams.get('cursor');
        return cursor === 'c2'
          ? json({ items: [post(1)], total: null, limit: 2, offset: 0, next_cursor: null })
          : json({ items: [post(3), post(2)], total: null, limit: 2, offset: 0, next_cursor: 'c2' });
      },
    });
    vi.stubGlobal('fetch', fake.fn);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );
    const filters = { unit_id: 1, q: 'banjir', limit: 2 };
    const { result } = renderHook(() => usePostsList(filters), { wrapper });
    await waitFor(() => expect(result.current.hasNextPage).toBe(true));
    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(result.current.hasNextPage).toBe(false));
    expect(result.current.data?.pages.flatMap((p) => p.items.map((i) => i.id))).toEqual([3, 2, 1]);
    const sent = fake.calls.map((r) => Object.fromEntries(new URL(r.url).searchParams));
    expect(sent).toEqual([
      { unit_id: '1', q: 'banjir', limit: '2' },
      { unit_id: '1', q: 'banjir', limit: '2', cursor: 'c2' },
    ]);
    // The filters are the key; every list sits under the one prefix workflow steps invalidate.
    expect(postKeys.list(filters)).toEqual(['posts', 'list', filters]);
  });
});
