import { useQueries, useQuery } from '@tanstack/react-query';
import { api, client, unwrap } from '../../api/endpoints';
import type { operations } from '../../api/schema';
import type { Platform } from '../../api/types';
import type { DayRange, Interval } from './model';

/** The filters every analytics read takes (besides the unit). */
export interface Filters extends DayRange {
  platform?: Platform;
  account?: number;
}

type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;
type FollowersQuery = Query<'followers_api_v1_analytics_units__unit_id__followers_get'>;
type PostsQuery = Query<'posts_api_v1_analytics_units__unit_id__posts_get'>;
type BreakdownQuery = Query<'breakdown_api_v1_analytics_units__unit_id__breakdown_get'>;
export type Order = NonNullable<PostsQuery['order']>;
/**
 * The JSON answer of an analytics read: their 200 also lists `text/csv` (for `format=csv`),
 * which the generated client would otherwise fold into the data type.
 */
type Json<Op extends keyof operations> = operations[Op]['responses'] extends { 200: { content: { 'application/json': infer T } } }
  ? T
  : never;
const json =
  <Op extends keyof operations>() =>
  (data: unknown) =>
    data as Json<Op>;
export type By = BreakdownQuery['by'];

/** Every query key of the dashboard, in one place. */
export const dashboardKeys = {
  all: ['dashboard'] as const,
  unit: (unitId: number) => ['dashboard', unitId] as const,
  summary: (unitId: number, f: Filters) => ['dashboard', unitId, 'summary', f] as const,
  followers: (unitId: number, f: Filters, interval: Interval) => ['dashboard', unitId, 'followers', f, interval] as const,
  posts: (unitId: number, f: Filters, order: Order) => ['dashboard', unitId, 'posts', f, order] as const,
  breakdown: (unitId: number, f: Filters, by: By) => ['dashboard', unitId, 'breakdown', f, by] as const,
  bestTimes: (unitId: number, f: Filters) => ['dashboard', unitId, 'best-times', f] as const,
  compare: (unitId: number, f: Filters) => ['dashboard', unitId, 'compare', f] as const,
  dormant: (unitId: number) => ['dashboard', unitId, 'dormant'] as const,
  inboxStats: (unitId: number, start: string, end: string) => ['dashboard', unitId, 'inbox-stats', start, end] as const,
  /** The composer's key for the same GET /posts/{id}: both share the cached post. */
  post: (postId: number) => ['post', postId] as const,
};

/** The query every analytics read shares: the range, and the filters that are set. */
export function filterParams(f: Filters): { start: string; end: string; platform?: Platform; account_id?: number } {
  return {
    start: f.start,
    end: f.end,
    ...(f.platform ? { platform: f.platform } : {}),
    ...(f.account ? { account_id: f.account } : {}),
  };
}

const path = (unitId: number) => ({ path: { unit_id: unitId } });

export const dashboardApi = {
  summary: (unitId: number, f: Filters) =>
    unwrap(client.GET('/api/v1/analytics/units/{unit_id}/summary', { params: { ...path(unitId), query: filterParams(f) } })).then(
      json<'summary_api_v1_analytics_units__unit_id__summary_get'>(),
    ),
  followers: (unitId: number, f: Filters, interval: Interval) => {
    const query: FollowersQuery = { ...filterParams(f), interval };
    return unwrap(client.GET('/api/v1/analytics/units/{unit_id}/followers', { params: { ...path(unitId), query } })).then(
      json<'followers_api_v1_analytics_units__unit_id__followers_get'>(),
    );
  },
  posts: (unitId: number, f: Filters, order: Order) => {
    const query: PostsQuery = { ...filterParams(f), order, limit: 5 };
    return unwrap(client.GET('/api/v1/analytics/units/{unit_id}/posts', { params: { ...path(unitId), query } })).then(
      json<'posts_api_v1_analytics_units__unit_id__posts_get'>(),
    );
  },
  breakdown: (unitId: number, f: Filters, by: By) =>
    unwrap(
      client.GET('/api/v1/analytics/units/{unit_id}/breakdown', { params: { ...path(unitId), query: { ...filterParams(f), by } } }),
    ).then(json<'breakdown_api_v1_analytics_units__unit_id__breakdown_get'>()),
  bestTimes: (unitId: number, f: Filters) =>
    unwrap(client.GET('/api/v1/analytics/units/{unit_id}/best-times', { params: { ...path(unitId), query: filterParams(f) } })).then(
      json<'best_times_api_v1_analytics_units__unit_id__best_times_get'>(),
    ),
  compare: (unitId: number, f: Filters) =>
    unwrap(client.GET('/api/v1/analytics/units/{unit_id}/compare', { params: { ...path(unitId), query: filterParams(f) } })).then(
      json<'compare_api_v1_analytics_units__unit_id__compare_get'>(),
    ),
  dormant: (unitId: number) =>
    unwrap(client.GET('/api/v1/analytics/units/{unit_id}/dormant', { params: path(unitId) })).then(
      json<'dormant_api_v1_analytics_units__unit_id__dormant_get'>(),
    ),
  /** Questions are not per account or platform: only the range applies. */
  inboxStats: (unitId: number, f: Filters) =>
    unwrap(
      client.GET('/api/v1/units/{unit_id}/inbox/stats', {
        params: { ...path(unitId), query: { start: f.start, end: f.end } },
      }),
    ),
};

/** The CSV series the dashboard offers, and the extra query each needs. */
export type CsvSeries =
  | { kind: 'summary' | 'best-times' | 'compare' }
  | { kind: 'followers'; interval: Interval }
  | { kind: 'posts'; order: Order }
  | { kind: 'breakdown'; by: By };

/**
 * One series as CSV (`format=csv`), fetched with the session's token (a plain link would
 * carry none) and handed to the browser as a download.
 */
export async function downloadCsv(unitId: number, f: Filters, series: CsvSeries): Promise<void> {
  const extra =
    series.kind === 'followers'
      ? { interval: series.interval }
      : series.kind === 'posts'
        ? { order: series.order, limit: 500 }
        : series.kind === 'breakdown'
          ? { by: series.by }
          : {};
  const query = { ...filterParams(f), ...extra, format: 'csv' as const };
  const params = { ...path(unitId), query };
  const blob = await unwrap(
    client.GET(`/api/v1/analytics/units/{unit_id}/${series.kind}` as '/api/v1/analytics/units/{unit_id}/summary', {
      params,
      parseAs: 'blob',
    }),
  );
  const url = URL.createObjectURL(blob as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${series.kind}${'by' in series ? `-${series.by}` : ''}${'order' in series ? `-${series.order}` : ''}-${f.start}-${f.end}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const STALE = 60_000;

export function useSummary(unitId: number | undefined, f: Filters) {
  return useQuery({
    queryKey: dashboardKeys.summary(unitId ?? 0, f),
    queryFn: () => dashboardApi.summary(unitId!, f),
    enabled: unitId !== undefined,
    staleTime: STALE,
    placeholderData: (previous) => previous,
  });
}

export function useFollowers(unitId: number | undefined, f: Filters, interval: Interval) {
  return useQuery({
    queryKey: dashboardKeys.followers(unitId ?? 0, f, interval),
    queryFn: () => dashboardApi.followers(unitId!, f, interval),
    enabled: unitId !== undefined,
    staleTime: STALE,
    placeholderData: (previous) => previous,
  });
}

export function usePostStats(unitId: number | undefined, f: Filters, order: Order) {
  return useQuery({
    queryKey: dashboardKeys.posts(unitId ?? 0, f, order),
    queryFn: () => dashboardApi.posts(unitId!, f, order),
    enabled: unitId !== undefined,
    staleTime: STALE,
  });
}

export function useBreakdown(unitId: number | undefined, f: Filters, by: By) {
  return useQuery({
    queryKey: dashboardKeys.breakdown(unitId ?? 0, f, by),
    queryFn: () => dashboardApi.breakdown(unitId!, f, by),
    enabled: unitId !== undefined,
    staleTime: STALE,
  });
}

export function useBestTimes(unitId: number | undefined, f: Filters) {
  return useQuery({
    queryKey: dashboardKeys.bestTimes(unitId ?? 0, f),
    queryFn: () => dashboardApi.bestTimes(unitId!, f),
    enabled: unitId !== undefined,
    staleTime: STALE,
  });
}

export function useCompare(unitId: number | undefined, f: Filters) {
  return useQuery({
    queryKey: dashboardKeys.compare(unitId ?? 0, f),
    queryFn: () => dashboardApi.compare(unitId!, f),
    enabled: unitId !== undefined,
    staleTime: STALE,
  });
}

export function useDormant(unitId: number | undefined) {
  return useQuery({
    queryKey: dashboardKeys.dormant(unitId ?? 0),
    queryFn: () => dashboardApi.dormant(unitId!),
    enabled: unitId !== undefined,
    staleTime: STALE,
  });
}

export function useInboxStats(unitId: number | undefined, f: Filters) {
  return useQuery({
    queryKey: dashboardKeys.inboxStats(unitId ?? 0, f.start, f.end),
    queryFn: () => dashboardApi.inboxStats(unitId!, f),
    enabled: unitId !== undefined,
    staleTime: STALE,
  });
}

/**
 * The posts behind the top and bottom lists, for their thumbnails (the analytics rows carry
 * no media); an imported post has no post id and shows its format instead.
 */
export function usePostThumbnails(postIds: readonly number[]) {
  const unique = [...new Set(postIds)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: dashboardKeys.post(id),
      queryFn: () => api.post(id),
      staleTime: 5 * 60_000,
      // A missing thumbnail is not worth retrying: the row shows its placeholder.
      retry: false,
    })),
  });
  const thumbnails = new Map<string, { url: string; alt: string }>();
  results.forEach((r) => {
    for (const variant of r.data?.variants ?? []) {
      const image = variant.media.find((m) => m.kind === 'image');
      if (image) thumbnails.set(`${r.data!.id}:${variant.id}`, { url: image.url, alt: image.alt_text ?? '' });
    }
  });
  return thumbnails;
}
