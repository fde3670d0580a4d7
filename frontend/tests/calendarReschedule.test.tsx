import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import { calendarApi, calendarKeys, useReschedule } from '../src/features/calendar/queries';
import { parseCalendarSearch } from '../src/features/calendar/search';
import type { CalendarRead } from '../src/features/calendar/types';
import { calendarOf, entry } from './calendarFixtures';
import { fakeFetch, json } from './render';

const A = entry({ variant_id: 1, post_id: 10, at: '2030-01-10T02:00:00Z' });
const B = entry({ variant_id: 2, post_id: 11, at: '2030-01-12T02:00:00Z' });
const KEY = calendarKeys.range(1, '2029-12-30T17:00:00.000Z', '2030-02-09T17:00:00.000Z', {});

function setup(answer: (request: Request) => Response | Promise<Response>) {
  session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
  const fake = fakeFetch({ 'POST /api/v1/posts/10/variants/1/reschedule': answer });
  vi.stubGlobal('fetch', fake.fn);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  queryClient.setQueryData(KEY, calendarOf([A, B]));
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
  );
  const hook = renderHook(() => useReschedule(1), { wrapper });
  return { fake, queryClient, hook };
}

const cached = (queryClient: QueryClient) => queryClient.getQueryData<CalendarRead>(KEY)!;

describe('useReschedule', () => {
  it('moves the entry at once and sends the new time', async () => {
    let release: (r: Response) => void = () => undefined;
    const { fake, queryClient, hook } = setup(() => new Promise<Response>((r) => (release = r)));
    act(() => hook.result.current.mutate({ postId: 10, variantId: 1, at: '2030-01-14T02:00:00.000Z' }));
    // Before the server answers, the calendar already shows the move.
    await waitFor(() => expect(cached(queryClient).entries.map((e) => e.variant_id)).toEqual([2, 1]));
    expect(cached(queryClient).entries[1].at).toBe('2030-01-14T02:00:00.000Z');
    await waitFor(() => expect(fake.calls).toHaveLength(1));
    expect(await fake.calls[0].json()).toEqual({ at: '2030-01-14T02:00:00.000Z' });
    release(json({ id: 10, variants: [{ id: 1, status: 'scheduled' }] }));
    await waitFor(() => expect(hook.result.current.isSuccess).toBe(true));
  });

  it('puts the entry back when the server refuses', async () => {
    const { queryClient, hook } = setup(() =>
      json({ error: 'post_state', detail: 'A published variant cannot be moved.' }, 409),
    );
    act(() => hook.result.current.mutate({ postId: 10, variantId: 1, at: '2030-01-14T02:00:00.000Z' }));
    await waitFor(() => expect(hook.result.current.isError).toBe(true));
    expect(cached(queryClient).entries.map((e) => [e.variant_id, e.at])).toEqual([
      [1, '2030-01-10T02:00:00Z'],
      [2, '2030-01-12T02:00:00Z'],
    ]);
    expect(hook.result.current.error).toMatchObject({ status: 409, code: 'post_state' });
  });
});

describe('calendarApi.calendar', () => {
  it('asks for one range with the filters, status repeated, empty ones left out', async () => {
    session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
    const fake = fakeFetch({ 'GET /api/v1/calendar': () => json(calendarOf([A])) });
    vi.stubGlobal('fetch', fake.fn);
    const search = parseCalendarSearch({ platform: 'x', statuses: ['scheduled', 'held'] });
    const data = await calendarApi.calendar(1, '2029-12-30T17:00:00.000Z', '2030-02-09T17:00:00.000Z', search);
    expect(data.entries).toHaveLength(1);
    expect(fake.calls).toHaveLength(1);
    const url = new URL(fake.calls[0].url);
    expect(url.searchParams.get('unit_id')).toBe('1');
    expect(url.searchParams.get('start')).toBe('2029-12-30T17:00:00.000Z');
    expect(url.searchParams.get('end')).toBe('2030-02-09T17:00:00.000Z');
    expect(url.searchParams.get('platform')).toBe('x');
    expect(url.searchParams.getAll('status')).toEqual(['scheduled', 'held']);
    expect(url.searchParams.has('account_id')).toBe(false);
    expect(url.searchParams.has('category')).toBe(false);
  });
});
