import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { client, unwrap } from '../../api/endpoints';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type ApiKey = Schemas['ApiKeyRead'];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
export type Scope = Schemas['Scope'];
export type Webhook = Schemas['SubscriptionRead'];
export type WebhookCreated = Schemas['SubscriptionCreated'];
export type WebhookEvent = Schemas['Event'];
export type Delivery = Schemas['DeliveryRead'];
export type Submission = Schemas['SubmissionRead'];
export type SubmissionInput = Schemas['SubmissionIn'];

export const SCOPES: Scope[] = ['posts:read', 'calendar:read', 'metrics:read', 'submissions:write'];
export const EVENTS: WebhookEvent[] = ['post.published', 'post.failed', 'submission.status_changed'];

const unitPath = (unitId: number) => ({ params: { path: { unit_id: unitId } } });

export function useApiKeys(unitId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['api-keys', unitId],
    queryFn: () => unwrap(client.GET('/api/v1/units/{unit_id}/api-keys', unitPath(unitId))),
    enabled,
  });
}

export function useCreateApiKey(unitId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['ApiKeyIn']) =>
      unwrap(client.POST('/api/v1/units/{unit_id}/api-keys', { ...unitPath(unitId), body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['api-keys', unitId] }),
  });
}

export function useRevokeApiKey(unitId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (keyId: number) =>
      unwrap(
        client.POST('/api/v1/units/{unit_id}/api-keys/{key_id}/revoke', {
          params: { path: { unit_id: unitId, key_id: keyId } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['api-keys', unitId] }),
  });
}

export function useWebhooks(unitId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['webhooks', unitId],
    queryFn: () => unwrap(client.GET('/api/v1/units/{unit_id}/webhooks', unitPath(unitId))),
    enabled,
  });
}

export function useCreateWebhook(unitId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['SubscriptionIn']) =>
      unwrap(client.POST('/api/v1/units/{unit_id}/webhooks', { ...unitPath(unitId), body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['webhooks', unitId] }),
  });
}

export function useWebhookAction(unitId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, action }: { id: number; action: 'test' | 'pause' | 'resume' }) => {
      const path = { params: { path: { unit_id: unitId, webhook_id: id } } };
      if (action === 'test') return unwrap(client.POST('/api/v1/units/{unit_id}/webhooks/{webhook_id}/test', path));
      return unwrap(
        client.PATCH('/api/v1/units/{unit_id}/webhooks/{webhook_id}', {
          ...path,
          body: { paused: action === 'pause' },
        }),
      );
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['webhooks', unitId] }),
  });
}

export function useDeliveries(unitId: number, webhookId: number | null) {
  return useQuery({
    queryKey: ['webhook-deliveries', unitId, webhookId],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/units/{unit_id}/webhooks/{webhook_id}/deliveries', {
          params: { path: { unit_id: unitId, webhook_id: webhookId! } },
        }),
      ),
    enabled: webhookId !== null,
  });
}

export function useSubmissions(unitId: number) {
  return useQuery({
    queryKey: ['submissions', unitId],
    queryFn: () => unwrap(client.GET('/api/v1/submissions', { params: { query: { unit_id: unitId } } })),
  });
}

export function useSubmit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SubmissionInput) => unwrap(client.POST('/api/v1/submissions', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['submissions'] }),
  });
}

export function useSubmissionAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: number; action: 'draft' | 'decline'; reason?: string }) => {
      const path = { params: { path: { submission_id: id } } };
      if (action === 'draft') return unwrap(client.POST('/api/v1/submissions/{submission_id}/draft', { ...path, body: {} }));
      return unwrap(
        client.POST('/api/v1/submissions/{submission_id}/decline', { ...path, body: { reason: reason ?? '' } }),
      );
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['submissions'] }),
  });
}
