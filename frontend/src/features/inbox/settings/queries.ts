import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { client, unwrap } from '../../../api/endpoints';
import type { components } from '../../../api/schema';

type Schemas = components['schemas'];
export type TopicInput = Schemas['TopicIn'];
export type TopicPatch = Schemas['TopicPatch'];
export type RouteResult = Schemas['RouteRead'];
export type SavedAnswerInput = Schemas['SavedAnswerIn'];
export type InboxSettings = Schemas['InboxSettingsRead'];
export type InboxSettingsInput = Schemas['InboxSettingsIn'];
export type PrivacyInput = Schemas['PrivacyIn'];
export type PrivacyRecord = Schemas['PrivacyRead'];

// The inbox screens read topics and saved answers under these keys too (../queries.ts).
const TOPICS = (unitId: number) => ['inbox', 'topics', unitId];
const SAVED = ['inbox', 'saved'];

export function useAllSavedAnswers(unitId: number) {
  return useQuery({
    queryKey: [...SAVED, unitId, 'all'],
    queryFn: () =>
      unwrap(client.GET('/api/v1/units/{unit_id}/inbox/saved-answers', { params: { path: { unit_id: unitId } } })),
  });
}

function useTopicsChanged(unitId: number) {
  const queryClient = useQueryClient();
  return (topics?: Schemas['TopicList']) => {
    if (topics) queryClient.setQueryData(TOPICS(unitId), topics);
    else void queryClient.invalidateQueries({ queryKey: TOPICS(unitId) });
    void queryClient.invalidateQueries({ queryKey: SAVED });
  };
}

export function useCreateTopic(unitId: number) {
  const changed = useTopicsChanged(unitId);
  return useMutation({
    mutationFn: (body: TopicInput) =>
      unwrap(client.POST('/api/v1/units/{unit_id}/inbox/topics', { params: { path: { unit_id: unitId } }, body })),
    onSuccess: changed,
  });
}

export function useUpdateTopic(unitId: number) {
  const changed = useTopicsChanged(unitId);
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: TopicPatch }) =>
      unwrap(
        client.PATCH('/api/v1/units/{unit_id}/inbox/topics/{topic_id}', {
          params: { path: { unit_id: unitId, topic_id: id } },
          body,
        }),
      ),
    onSuccess: changed,
  });
}

export function useDeleteTopic(unitId: number) {
  const changed = useTopicsChanged(unitId);
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(
        client.DELETE('/api/v1/units/{unit_id}/inbox/topics/{topic_id}', {
          params: { path: { unit_id: unitId, topic_id: id } },
        }),
      ),
    onSuccess: () => changed(),
  });
}

export function useSetExperts(unitId: number) {
  const changed = useTopicsChanged(unitId);
  return useMutation({
    mutationFn: ({ id, userIds }: { id: number; userIds: number[] }) =>
      unwrap(
        client.PUT('/api/v1/units/{unit_id}/inbox/topics/{topic_id}/experts', {
          params: { path: { unit_id: unitId, topic_id: id } },
          body: { user_ids: userIds },
        }),
      ),
    onSuccess: changed,
  });
}

export function useTryRoute(unitId: number) {
  return useMutation({
    mutationFn: (text: string) => unwrap(client.POST('/api/v1/inbox/route', { body: { unit_id: unitId, text } })),
  });
}

function useSavedChanged() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: SAVED });
}

export function useSaveAnswer(unitId: number) {
  const changed = useSavedChanged();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: SavedAnswerInput }) =>
      id === null
        ? unwrap(
            client.POST('/api/v1/units/{unit_id}/inbox/saved-answers', { params: { path: { unit_id: unitId } }, body }),
          )
        : unwrap(
            client.PUT('/api/v1/units/{unit_id}/inbox/saved-answers/{saved_id}', {
              params: { path: { unit_id: unitId, saved_id: id } },
              body,
            }),
          ),
    onSuccess: changed,
  });
}

export function useDeleteSavedAnswer(unitId: number) {
  const changed = useSavedChanged();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(
        client.DELETE('/api/v1/units/{unit_id}/inbox/saved-answers/{saved_id}', {
          params: { path: { unit_id: unitId, saved_id: id } },
        }),
      ),
    onSuccess: changed,
  });
}

export function useInboxSettings(unitId: number) {
  return useQuery({
    queryKey: ['inbox', 'settings', unitId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/units/{unit_id}/inbox/settings', { params: { path: { unit_id: unitId } } })),
  });
}

export function useUpdateInboxSettings(unitId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: InboxSettingsInput) =>
      unwrap(client.PATCH('/api/v1/units/{unit_id}/inbox/settings', { params: { path: { unit_id: unitId } }, body })),
    onSuccess: (data) => queryClient.setQueryData(['inbox', 'settings', unitId], data),
  });
}

export function usePrivacyLog(unitId: number) {
  return useQuery({
    queryKey: ['inbox', 'privacy', unitId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/units/{unit_id}/inbox/privacy-requests', { params: { path: { unit_id: unitId } } })),
  });
}

export function useRecordPrivacy(unitId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PrivacyInput) =>
      unwrap(
        client.POST('/api/v1/units/{unit_id}/inbox/privacy-requests', { params: { path: { unit_id: unitId } }, body }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['inbox'] }),
  });
}
