import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorFromResponse } from '../../api/errors';
import { API_BASE, authFetch } from '../../api/http';
import type { Post } from '../../api/types';
import { moveEntry } from './model';
import type { CalendarSearch } from './search';
import { calendarFilters } from './search';
import type { CalendarRead, TemplateList } from './types';

/** Every query key of the calendar screen, in one place. */
export const calendarKeys = {
  all: ['calendar'] as const,
  unit: (unitId: number) => ['calendar', unitId] as const,
  range: (unitId: number, start: string, end: string, search: CalendarSearch) =>
    ['calendar', unitId, start, end, calendarFilters(search)] as const,
  templates: (unitId: number) => ['templates', unitId] as const,
};

async function call<T>(method: 'GET' | 'POST', path: string, query?: URLSearchParams, body?: unknown): Promise<T> {
  const url = new URL(`${API_BASE}${path}`, globalThis.location?.origin ?? 'http://localhost');
  if (query) url.search = query.toString();
  const response = await authFetch(
    new Request(url, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

/** The query string of GET /calendar: repeated `status`, empty filters left out. */
export function calendarQuery(unitId: number, start: string, end: string, search: CalendarSearch): URLSearchParams {
  const params = new URLSearchParams({ unit_id: String(unitId), start, end });
  const filters = calendarFilters(search);
  if (filters.platform) params.set('platform', filters.platform);
  if (filters.account_id) params.set('account_id', String(filters.account_id));
  for (const status of filters.status ?? []) params.append('status', status);
  if (filters.category) params.set('category', filters.category);
  if (filters.author_id) params.set('author_id', String(filters.author_id));
  return params;
}

export const calendarApi = {
  calendar: (unitId: number, start: string, end: string, search: CalendarSearch) =>
    call<CalendarRead>('GET', '/calendar', calendarQuery(unitId, start, end, search)),
  reschedule: (postId: number, variantId: number, at: string) =>
    call<Post>('POST', `/posts/${postId}/variants/${variantId}/reschedule`, undefined, { at }),
  templates: (unitId: number) => call<TemplateList>('GET', `/units/${unitId}/templates`),
};

/** One request per visible range; the previous range stays on screen while the next loads. */
export function useCalendar(unitId: number | undefined, range: { start: string; end: string } | null, search: CalendarSearch) {
  return useQuery({
    queryKey: calendarKeys.range(unitId ?? 0, range?.start ?? '', range?.end ?? '', search),
    queryFn: () => calendarApi.calendar(unitId!, range!.start, range!.end, search),
    enabled: unitId !== undefined && range !== null,
    placeholderData: (previous) => previous,
  });
}

export function useTemplates(unitId: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: calendarKeys.templates(unitId ?? 0),
    queryFn: () => calendarApi.templates(unitId!),
    enabled: enabled && unitId !== undefined,
    staleTime: 5 * 60_000,
  });
}

export interface MoveInput {
  postId: number;
  variantId: number;
  at: string;
}

type Snapshot = [readonly unknown[], CalendarRead | undefined][];

/**
 * Reschedules one variant. The entry moves at once in every cached range; when the server
 * refuses, every range is put back as it was and the caller explains why.
 */
export function useReschedule(unitId: number) {
  const queryClient = useQueryClient();
  return useMutation<Post, Error, MoveInput, { snapshot: Snapshot }>({
    mutationFn: ({ postId, variantId, at }) => calendarApi.reschedule(postId, variantId, at),
    onMutate: async ({ variantId, at }) => {
      await queryClient.cancelQueries({ queryKey: calendarKeys.unit(unitId) });
      const snapshot = queryClient.getQueriesData<CalendarRead>({ queryKey: calendarKeys.unit(unitId) });
      for (const [key, data] of snapshot) {
        if (data) queryClient.setQueryData<CalendarRead>(key, moveEntry(data, variantId, at));
      }
      return { snapshot };
    },
    onError: (_error, _input, context) => {
      for (const [key, data] of context?.snapshot ?? []) queryClient.setQueryData(key, data);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: calendarKeys.unit(unitId) });
      void queryClient.invalidateQueries({ queryKey: ['posts'] });
    },
  });
}
