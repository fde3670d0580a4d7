import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { client, unwrap } from '../../api/endpoints';
import type { operations } from '../../api/schema';
import type { Post } from '../../api/types';
import { moveEntry } from './model';
import type { CalendarSearch } from './search';
import { calendarFilters } from './search';
import type { CalendarRead } from './types';

/**
 * How many entries a day the month, week and list views ask for: more than a day cell shows,
 * few enough that a month of busy days stays one quick answer. The day view asks for all.
 */
export const PER_DAY = 20;

/** Every query key of the calendar screen, in one place. */
export const calendarKeys = {
  all: ['calendar'] as const,
  unit: (unitId: number) => ['calendar', unitId] as const,
  range: (unitId: number, start: string, end: string, search: CalendarSearch) =>
    ['calendar', unitId, start, end, calendarFilters(search), search.view === 'day' ? 'all' : PER_DAY] as const,
  templates: (unitId: number) => ['templates', unitId] as const,
};

type CalendarQuery = operations['get_calendar_api_v1_calendar_get']['parameters']['query'];

/** The query of GET /calendar: the range, the cap per day, and only the filters that are set. */
export function calendarParams(unitId: number, start: string, end: string, search: CalendarSearch): CalendarQuery {
  const query: CalendarQuery = { unit_id: unitId, start, end };
  if (search.view !== 'day') query.per_day = PER_DAY;
  const filters = calendarFilters(search);
  if (filters.platform) query.platform = filters.platform;
  if (filters.account_id) query.account_id = filters.account_id;
  if (filters.status?.length) query.status = filters.status;
  if (filters.category) query.category = filters.category;
  if (filters.author_id) query.author_id = filters.author_id;
  return query;
}

export const calendarApi = {
  calendar: (unitId: number, start: string, end: string, search: CalendarSearch) =>
    unwrap(client.GET('/api/v1/calendar', { params: { query: calendarParams(unitId, start, end, search) } })),
  reschedule: (postId: number, variantId: number, at: string) =>
    unwrap(
      client.POST('/api/v1/posts/{post_id}/variants/{variant_id}/reschedule', {
        params: { path: { post_id: postId, variant_id: variantId } },
        body: { at },
      }),
    ),
  templates: (unitId: number) =>
    unwrap(client.GET('/api/v1/units/{unit_id}/templates', { params: { path: { unit_id: unitId } } })),
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
