import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { client, unwrap } from '../../api/endpoints';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type ConversationSummary = Schemas['ConversationSummary'];
export type Conversation = Schemas['ConversationRead'];
export type ConversationStatus = Schemas['ConversationStatus'];
export type Topic = Schemas['TopicRead'];
export type SavedAnswer = Schemas['SavedAnswerRead'];
export type Member = Schemas['MemberRead'];

export const STATUSES: ConversationStatus[] = ['new', 'assigned', 'answered', 'closed', 'spam'];

export interface InboxFilters {
  status?: ConversationStatus;
  topic_id?: number;
  platform?: 'x' | 'instagram' | 'facebook';
  assignee_id?: number;
  overdue?: boolean;
  mine?: boolean;
}

export function useConversations(unitId: number | undefined, filters: InboxFilters) {
  return useQuery({
    queryKey: ['inbox', 'list', unitId, filters],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/inbox/conversations', {
          params: {
            query: {
              unit_id: unitId,
              status: filters.status ? [filters.status] : undefined,
              topic_id: filters.topic_id,
              platform: filters.platform,
              assignee_id: filters.assignee_id,
              overdue: filters.overdue || undefined,
              mine: filters.mine || undefined,
              limit: 100,
            },
          },
        }),
      ),
    enabled: unitId !== undefined,
    refetchInterval: 60_000,
  });
}

export function useConversation(id: number) {
  return useQuery({
    queryKey: ['inbox', 'one', id],
    queryFn: () =>
      unwrap(client.GET('/api/v1/inbox/conversations/{conversation_id}', { params: { path: { conversation_id: id } } })),
  });
}

export function useTopics(unitId: number | undefined) {
  return useQuery({
    queryKey: ['inbox', 'topics', unitId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/units/{unit_id}/inbox/topics', { params: { path: { unit_id: unitId! } } })),
    enabled: unitId !== undefined,
    staleTime: 5 * 60_000,
  });
}

export function useMembers(unitId: number | undefined) {
  return useQuery({
    queryKey: ['inbox', 'members', unitId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/units/{unit_id}/members', { params: { path: { unit_id: unitId! } } })),
    enabled: unitId !== undefined,
    staleTime: 5 * 60_000,
  });
}

export function useSavedAnswers(unitId: number, topicId: number | null) {
  return useQuery({
    queryKey: ['inbox', 'saved', unitId, topicId],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/units/{unit_id}/inbox/saved-answers', {
          params: { path: { unit_id: unitId }, query: { topic_id: topicId ?? undefined } },
        }),
      ),
  });
}

export function useStats(unitId: number | undefined) {
  return useQuery({
    queryKey: ['inbox', 'stats', unitId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/units/{unit_id}/inbox/stats', { params: { path: { unit_id: unitId! } } })),
    enabled: unitId !== undefined,
  });
}

function useSetConversation() {
  const queryClient = useQueryClient();
  return (conversation: Conversation) => {
    queryClient.setQueryData(['inbox', 'one', conversation.id], conversation);
    void queryClient.invalidateQueries({ queryKey: ['inbox', 'list'] });
    void queryClient.invalidateQueries({ queryKey: ['inbox', 'stats'] });
  };
}

export function useAnswer(id: number) {
  const set = useSetConversation();
  return useMutation({
    mutationFn: (body: { text: string; outside: boolean }) =>
      unwrap(
        client.POST('/api/v1/inbox/conversations/{conversation_id}/answers', {
          params: { path: { conversation_id: id } },
          body,
        }),
      ),
    onSuccess: set,
  });
}

export function useApprove() {
  const set = useSetConversation();
  return useMutation({
    mutationFn: (answerId: number) =>
      unwrap(client.POST('/api/v1/inbox/answers/{answer_id}/approve', { params: { path: { answer_id: answerId } } })),
    onSuccess: set,
  });
}

export function useAssign(id: number) {
  const set = useSetConversation();
  return useMutation({
    mutationFn: (body: { topic_id?: number; assignee_id?: number }) =>
      unwrap(
        client.POST('/api/v1/inbox/conversations/{conversation_id}/assign', {
          params: { path: { conversation_id: id } },
          body,
        }),
      ),
    onSuccess: set,
  });
}

export function useSetStatus(id: number) {
  const set = useSetConversation();
  return useMutation({
    mutationFn: (status: 'new' | 'closed' | 'spam') =>
      unwrap(
        client.POST('/api/v1/inbox/conversations/{conversation_id}/status', {
          params: { path: { conversation_id: id } },
          body: { status },
        }),
      ),
    onSuccess: set,
  });
}

export function useMarkRequest(id: number) {
  const set = useSetConversation();
  return useMutation({
    mutationFn: (kind: 'information' | 'complaint' | 'none') =>
      unwrap(
        client.POST('/api/v1/inbox/conversations/{conversation_id}/request', {
          params: { path: { conversation_id: id } },
          body: { kind },
        }),
      ),
    onSuccess: set,
  });
}

export function usePracticeQuestion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { account_id: number; text?: string }) =>
      unwrap(client.POST('/api/v1/inbox/practice-questions', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['inbox'] }),
  });
}

export function useExtendRequest(id: number) {
  const set = useSetConversation();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(
        client.POST('/api/v1/inbox/conversations/{conversation_id}/request/extend', {
          params: { path: { conversation_id: id } },
          body: { reason },
        }),
      ),
    onSuccess: set,
  });
}

export function useSetLapor(id: number) {
  const set = useSetConversation();
  return useMutation({
    mutationFn: (body: { reference: string; status: string }) =>
      unwrap(
        client.PUT('/api/v1/inbox/conversations/{conversation_id}/lapor', {
          params: { path: { conversation_id: id } },
          body,
        }),
      ),
    onSuccess: set,
  });
}
