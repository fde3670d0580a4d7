import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { PostFilters } from '../../api/types';

/** Every query key of the posts feature, in one place: every list sits under ['posts'], so one
 * invalidation refreshes them all. */
export const postKeys = {
  all: ['posts'] as const,
  list: (filters: PostFilters | null) => ['posts', 'list', filters] as const,
  categories: (unitId: number | null | undefined) => ['categories', unitId] as const,
};

/** One posts list, page after page by cursor ("load more"); the filters make the key. */
export function usePostsList(filters: PostFilters | null) {
  return useInfiniteQuery({
    queryKey: postKeys.list(filters),
    queryFn: ({ pageParam }) => api.posts({ ...filters!, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    enabled: Boolean(filters),
    placeholderData: keepPreviousData,
  });
}
