/** The composer's data: query keys in one place, reads, and writes that refresh what they change. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, client, unwrap } from '../../api/endpoints';
import { ApiError, isApiError } from '../../api/errors';
import { API_BASE, refreshTokens } from '../../api/http';
import { session } from '../../api/session';
import type { components } from '../../api/schema';
import type { Media, Platform, Post, PostInput, PostPatch, Problem, ValidationResult } from '../../api/types';
import { problemsFromFields } from '../../lib/problems';

export type WritingCheck = components['schemas']['CheckRead'];
export type Finding = components['schemas']['FindingRead'];

export type PostWithExtras = Post;

export type Comment = components['schemas']['CommentRead'];
export type Template = components['schemas']['Template'];

export const composerKeys = {
  post: (id: number | null | undefined) => ['post', id] as const,
  posts: ['posts'] as const,
  calendar: ['calendar'] as const,
  categories: (unitId: number | null) => ['categories', unitId] as const,
  validate: (body: string) => ['validate', body] as const,
  writing: (unitId: number | null, platform: Platform, text: string, alts: string[]) =>
    ['writing-check', unitId, platform, text, alts] as const,
  comments: (postId: number) => ['post', postId, 'comments'] as const,
  templates: (unitId: number | null) => ['templates', unitId] as const,
  media: (id: number) => ['media', id] as const,
  notifications: ['notifications'] as const,
};

export function usePost(postId: number | null) {
  return useQuery({
    queryKey: composerKeys.post(postId),
    queryFn: () => api.post(postId!) as Promise<PostWithExtras>,
    enabled: postId !== null,
    retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
  });
}

export function useCategories(unitId: number | null) {
  return useQuery({
    queryKey: composerKeys.categories(unitId),
    queryFn: () => api.categories(unitId!),
    enabled: unitId !== null,
    staleTime: 60_000,
  });
}

export function useTemplates(unitId: number | null, enabled: boolean) {
  return useQuery({
    queryKey: composerKeys.templates(unitId),
    queryFn: () => unwrap(client.GET('/api/v1/units/{unit_id}/templates', { params: { path: { unit_id: unitId! } } })),
    enabled: enabled && unitId !== null,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export interface Checked {
  body: PostInput;
  problems: Problem[];
  lengths: ValidationResult['variants'];
  warnings: ValidationResult['warnings'];
}

/** The server's check of the variants as typed (debounced by the caller through `bodyKey`). */
export function useValidation(bodyKey: string, enabled: boolean) {
  return useQuery({
    queryKey: composerKeys.validate(bodyKey),
    queryFn: async (): Promise<Checked> => {
      const input = JSON.parse(bodyKey) as PostInput;
      try {
        const result = await api.validatePost(input);
        return { body: input, problems: result.problems as Problem[], lengths: result.variants, warnings: result.warnings };
      } catch (error) {
        if (isApiError(error) && error.status === 422) {
          return { body: input, problems: problemsOf(error), lengths: [], warnings: [] };
        }
        throw error;
      }
    },
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
}

export function problemsOf(error: ApiError): Problem[] {
  return error.problems.length ? error.problems : problemsFromFields(error.fields);
}

/** Create or update; the lists, the calendar and the post's own copy refresh. */
export function useSavePost(postId: number | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { create: PostInput; patch: PostPatch }) =>
      (postId === null ? api.createPost(body.create) : api.updatePost(postId, body.patch)) as Promise<PostWithExtras>,
    onSuccess: async (post) => {
      queryClient.setQueryData(composerKeys.post(post.id), post);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: composerKeys.posts }),
        queryClient.invalidateQueries({ queryKey: composerKeys.calendar }),
        queryClient.invalidateQueries({ queryKey: ['categories'] }),
      ]);
    },
  });
}

export function useDeletePost(postId: number | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.deletePost(postId!),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: composerKeys.post(postId) });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: composerKeys.posts }),
        queryClient.invalidateQueries({ queryKey: composerKeys.calendar }),
      ]);
    },
  });
}

/** Uploads one file with progress (fetch cannot report upload progress; XHR can). */
export function uploadWithProgress(unitId: number, file: File, onProgress: (fraction: number) => void): Promise<Media> {
  const send = (): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${API_BASE}/media`);
      const token = session.access();
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
      xhr.onerror = () => reject(new TypeError('network'));
      const form = new FormData();
      form.set('unit_id', String(unitId));
      form.set('file', file);
      xhr.send(form);
    });
  return (async () => {
    let answer = await send();
    if (answer.status === 401 && (await refreshTokens())) answer = await send();
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = null;
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new ApiError(answer.status, (parsed as ConstructorParameters<typeof ApiError>[1]) ?? null);
    }
    return parsed as Media;
  })();
}

export function useUpload(unitId: number | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress }: { file: File; onProgress: (f: number) => void }) =>
      uploadWithProgress(unitId!, file, onProgress),
    onSuccess: (media) => queryClient.setQueryData(composerKeys.media(media.id), media),
  });
}

export function useAltText() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, alt }: { id: number; alt: string }) =>
      unwrap(client.PATCH('/api/v1/media/{media_id}', { params: { path: { media_id: id } }, body: { alt_text: alt || null } })),
    onSuccess: (media) => queryClient.setQueryData(composerKeys.media(media.id), media),
  });
}

export type WorkflowStep =
  | { action: 'submit' }
  | { action: 'approve'; checklist: string[]; comment?: string }
  | { action: 'reject'; comment: string }
  | { action: 'schedule'; at: string | null }
  | { action: 'publishNow' }
  | { action: 'cancel' }
  | { action: 'retry'; variantId: number };

function runStep(postId: number, step: WorkflowStep): Promise<Post> {
  switch (step.action) {
    case 'submit':
      return api.submitPost(postId);
    case 'approve':
      // The comment lands in the review thread with the approval.
      return unwrap(
        client.POST('/api/v1/posts/{post_id}/approve', {
          params: { path: { post_id: postId } },
          body: { checklist: step.checklist, comment: step.comment?.trim() || null },
        }),
      );
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

/** One workflow step; the post's copy takes the answer, lists, calendar and thread refresh. */
export function useWorkflowStep(postId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (step: WorkflowStep) => runStep(postId, step),
    onSuccess: async (post) => {
      queryClient.setQueryData(composerKeys.post(postId), post);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: composerKeys.posts }),
        queryClient.invalidateQueries({ queryKey: composerKeys.calendar }),
        queryClient.invalidateQueries({ queryKey: composerKeys.notifications }),
        queryClient.invalidateQueries({ queryKey: composerKeys.comments(postId) }),
      ]);
    },
  });
}

export function useComments(postId: number | null) {
  return useQuery({
    queryKey: composerKeys.comments(postId ?? 0),
    queryFn: () => unwrap(client.GET('/api/v1/posts/{post_id}/comments', { params: { path: { post_id: postId! } } })),
    enabled: postId !== null,
    retry: false,
  });
}

export function useAddComment(postId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) =>
      unwrap(client.POST('/api/v1/posts/{post_id}/comments', { params: { path: { post_id: postId } }, body: { body } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: composerKeys.comments(postId) }),
  });
}

/** The writing check of one platform's text (the caller debounces the text). */
export function useWritingCheck(unitId: number | null, platform: Platform, text: string, alts: string[]) {
  return useQuery({
    queryKey: composerKeys.writing(unitId, platform, text, alts),
    queryFn: () =>
      unwrap(
        client.POST('/api/v1/writing/check', {
          body: { unit_id: unitId!, platform, text, alt_texts: alts },
        }),
      ),
    enabled: unitId !== null && text.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}
