import createClient from 'openapi-fetch';
import { authFetch } from './http';
import { ApiError, errorFromResponse, normalizeErrorBody } from './errors';
import type { paths } from './schema';
import type { PostFilters, PostInput, PostPatch } from './types';

const origin = () => globalThis.location?.origin ?? 'http://localhost';

/** Typed client for calls that carry the session (refreshing it once on 401). */
export const client = createClient<paths>({ baseUrl: origin(), fetch: authFetch });

/** Typed client for the public calls: login, meta. */
export const publicClient = createClient<paths>({
  baseUrl: origin(),
  fetch: (request: Request) => globalThis.fetch(request),
});

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call, or an ApiError built from the error body. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    if (response.bodyUsed) {
      throw new ApiError(response.status, normalizeErrorBody(error));
    }
    throw await errorFromResponse(response);
  }
  return data as T;
}

export const api = {
  meta: () => unwrap(publicClient.GET('/api/v1/meta')),
  /** The refresh token comes back as an HttpOnly cookie, never in the body. */
  login: (email: string, password: string) =>
    unwrap(publicClient.POST('/api/v1/auth/login', { body: { email, password, session: 'cookie' } })),
  /** Ends this session on the server (its access token stops at once) and clears the cookie. */
  logout: () => unwrap(client.POST('/api/v1/auth/logout', { parseAs: 'text' })),
  me: () => unwrap(client.GET('/api/v1/me')),
  units: () => unwrap(client.GET('/api/v1/units')),
  accounts: (unitId: number) => unwrap(client.GET('/api/v1/accounts', { params: { query: { unit_id: unitId } } })),
  posts: (filters: PostFilters) => unwrap(client.GET('/api/v1/posts', { params: { query: filters } })),
  post: (id: number) => unwrap(client.GET('/api/v1/posts/{post_id}', { params: { path: { post_id: id } } })),
  categories: (unitId: number) =>
    unwrap(client.GET('/api/v1/posts/categories', { params: { query: { unit_id: unitId } } })),
  createPost: (input: PostInput) => unwrap(client.POST('/api/v1/posts', { body: input })),
  updatePost: (id: number, input: PostPatch) =>
    unwrap(client.PATCH('/api/v1/posts/{post_id}', { params: { path: { post_id: id } }, body: input })),
  deletePost: (id: number) =>
    unwrap(client.DELETE('/api/v1/posts/{post_id}', { params: { path: { post_id: id } }, parseAs: 'text' })),
  validatePost: (input: PostInput) => unwrap(client.POST('/api/v1/posts/validate', { body: input })),
  uploadMedia: (unitId: number, file: File, altText?: string) =>
    unwrap(
      client.POST('/api/v1/media', {
        body: { unit_id: unitId, file: '', alt_text: altText ?? null },
        bodySerializer: () => {
          const form = new FormData();
          form.set('unit_id', String(unitId));
          form.set('file', file);
          if (altText) form.set('alt_text', altText);
          return form;
        },
      }),
    ),
  media: (id: number) => unwrap(client.GET('/api/v1/media/{media_id}', { params: { path: { media_id: id } } })),
};
