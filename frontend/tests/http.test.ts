import { describe, expect, it, vi } from 'vitest';
import { api } from '../src/api/endpoints';
import { isApiError } from '../src/api/errors';
import { refreshTokens, restoreSession, setUnauthorizedHandler } from '../src/api/http';
import { session } from '../src/api/session';
import { fakeFetch, json } from './render';

const ME = { id: 1, email: 'a@b.id', name: 'A', locale: 'id', is_superuser: false, memberships: [] };

describe('authorized requests', () => {
  it('sends the bearer token', async () => {
    session.store({ access_token: 'A1', token_type: 'bearer', expires_in: 900 });
    const backend = fakeFetch({ 'GET /api/v1/me': () => json(ME) });
    vi.stubGlobal('fetch', backend.fn);
    await expect(api.me()).resolves.toMatchObject({ email: 'a@b.id' });
    expect(backend.calls[0].headers.get('Authorization')).toBe('Bearer A1');
  });

  it('refreshes once on 401 with the cookie, keeps the new token in memory and repeats the request', async () => {
    session.store({ access_token: 'old', token_type: 'bearer', expires_in: 900 });
    const backend = fakeFetch({
      'GET /api/v1/me': (r) =>
        r.headers.get('Authorization') === 'Bearer new' ? json(ME) : json({ error: 'unauthorized', detail: 'expired' }, 401),
      'POST /api/v1/auth/refresh': () => json({ access_token: 'new', token_type: 'bearer', expires_in: 900 }),
    });
    vi.stubGlobal('fetch', backend.fn);
    await expect(api.me()).resolves.toMatchObject({ id: 1 });
    expect(session.access()).toBe('new');
    expect(backend.calls.map((r) => new URL(r.url).pathname)).toEqual([
      '/api/v1/me',
      '/api/v1/auth/refresh',
      '/api/v1/me',
    ]);
    // The refresh token is the browser's HttpOnly cookie: no body, no script access.
    const refresh = backend.calls[1];
    expect(refresh.credentials).toBe('same-origin');
    expect(await refresh.text()).toBe('');
    // Nothing about the session is written to storage an injected script could read.
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('shares one refresh between requests that fail at the same time', async () => {
    session.store({ access_token: 'old', token_type: 'bearer', expires_in: 900 });
    let refreshes = 0;
    const backend = fakeFetch({
      'GET /api/v1/me': (r) =>
        r.headers.get('Authorization') === 'Bearer new' ? json(ME) : json({ error: 'unauthorized', detail: 'expired' }, 401),
      'POST /api/v1/auth/refresh': async () => {
        refreshes += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return json({ access_token: 'new', token_type: 'bearer', expires_in: 900 });
      },
    });
    vi.stubGlobal('fetch', backend.fn);
    await expect(Promise.all([api.me(), api.me(), api.me()])).resolves.toHaveLength(3);
    expect(refreshes).toBe(1);
  });

  it('ends the session when the refresh fails', async () => {
    session.store({ access_token: 'old', token_type: 'bearer', expires_in: 900 });
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /api/v1/me': () => json({ error: 'unauthorized', detail: 'expired' }, 401),
        'POST /api/v1/auth/refresh': () => json({ error: 'invalid_refresh_token', detail: 'no' }, 401),
      }).fn,
    );
    const error = await api.me().catch((e: unknown) => e);
    expect(isApiError(error) && error.status).toBe(401);
    expect(session.isLoggedIn()).toBe(false);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('resumes a session after a reload from the refresh cookie alone', async () => {
    const backend = fakeFetch({
      'POST /api/v1/auth/refresh': () => json({ access_token: 'A9', token_type: 'bearer', expires_in: 900 }),
    });
    vi.stubGlobal('fetch', backend.fn);
    expect(session.isLoggedIn()).toBe(false);
    await expect(restoreSession()).resolves.toBe(true);
    expect(session.access()).toBe('A9');
    // Already logged in: no second call.
    await expect(restoreSession()).resolves.toBe(true);
    expect(backend.calls).toHaveLength(1);
  });

  it('reports no session when there is no cookie', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'POST /api/v1/auth/refresh': () => json({ error: 'invalid_refresh_token', detail: 'no' }, 401),
      }).fn,
    );
    await expect(refreshTokens()).resolves.toBe(false);
    expect(session.isLoggedIn()).toBe(false);
  });

  it('logs out with the access token and forgets it', async () => {
    session.store({ access_token: 'A1', token_type: 'bearer', expires_in: 900 });
    const backend = fakeFetch({ 'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }) });
    vi.stubGlobal('fetch', backend.fn);
    await api.logout();
    expect(backend.calls[0].headers.get('Authorization')).toBe('Bearer A1');
  });

  it('turns a 422 into an ApiError with the problems', async () => {
    session.store({ access_token: 'A1', token_type: 'bearer', expires_in: 900 });
    const problems = [
      {
        field: 'variants.0.text',
        variant_index: 0,
        account_id: 1,
        platform: 'x',
        rule: 'x.text.too_long',
        message: 'X: 291/280 weighted characters',
        params: { length: 291, max: 280 },
      },
    ];
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'POST /api/v1/posts': () =>
          json(
            {
              error: 'variant_invalid',
              detail: "Some variants break their platform's rules",
              fields: { 'variants.0.text': 'X: 291/280 weighted characters' },
              problems,
            },
            422,
          ),
      }).fn,
    );
    const error = await api
      .createPost({ unit_id: 1, title: 't', variants: [{ account_id: 1, text: 'x', media_ids: [] }] })
      .catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    if (isApiError(error)) {
      expect(error.status).toBe(422);
      expect(error.code).toBe('variant_invalid');
      expect(error.problems[0].rule).toBe('x.text.too_long');
      expect(error.fields['variants.0.text']).toMatch('291/280');
    }
  });
});
