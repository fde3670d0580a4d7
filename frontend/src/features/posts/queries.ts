import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import type { Post, PostFilters } from '../../api/types';
import { notificationKeys } from '../notifications/queries';

/** Every query key of the posts feature, in one place: every list sits under ['posts'], so one
 * invalidation refreshes them all. */
export const postKeys = {
  all: ['posts'] as const,
  list: (filters: PostFilters | null) => ['posts', 'list', filters] as const,
  detail: (postId: number) => ['post', postId] as const,
  categoriesAll: ['categories'] as const,
  categories: (unitId: number | null | undefined) => ['categories', unitId] as const,
  validate: (body: string) => ['validate', body] as const,
  media: (mediaId: number) => ['media', mediaId] as const,
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

export type WorkflowStep =
  | { action: 'submit' }
  | { action: 'approve' }
  | { action: 'reject'; comment: string }
  | { action: 'schedule'; at: string | null }
  | { action: 'publishNow' }
  | { action: 'cancel' }
  | { action: 'retry'; variantId: number };

function run(postId: number, step: WorkflowStep): Promise<Post> {
  switch (step.action) {
    case 'submit':
      return api.submitPost(postId);
    case 'approve':
      return api.approvePost(postId);
    case 'reject':
      return api.rejectPost(postId, step.comment);
    case 'schedule':
      return api.schedulePost(postId, step.at);
    case 'publishNow':
      return api.publishPostNow(postId);
    case 'cancel':
      return api.cancelPost(postId);
    case 'retry':
      return api.retryVariant(postId, step.variantId);
  }
}

/** One workflow step on a post; the post's cached copy takes the answer, lists refetch. */
export function useWorkflowStep(postId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (step: WorkflowStep) => run(postId, step),
    onSuccess: async (post) => {
      queryClient.setQueryData(postKeys.detail(postId), post);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: postKeys.all }),
        queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
      ]);
    },
  });
}
