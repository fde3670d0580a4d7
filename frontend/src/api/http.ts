import { session } from './session';
import type { TokenPair } from './types';

export const API_BASE = '/api/v1';

let refreshing: Promise<boolean> | null = null;

/**
 * Asks for a new access token with the refresh cookie (sent by the browser, unreadable
 * here); the answer also rotates the cookie. Calls made while one is under way share it.
 */
export function refreshTokens(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const url = new URL(`${API_BASE}/auth/refresh`, globalThis.location?.origin ?? 'http://localhost');
        const response = await globalThis.fetch(url, { method: 'POST', credentials: 'same-origin' });
        if (!response.ok) return false;
        session.store((await response.json()) as TokenPair);
        return true;
      } catch {
        return false;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** After a page load: whether the browser still holds a session (then it is resumed). */
export async function restoreSession(): Promise<boolean> {
  return session.isLoggedIn() || refreshTokens();
}

let onUnauthorized: () => void = () => undefined;

/** Called when a request stays unauthorized after a refresh attempt. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

function withToken(request: Request): Request {
  const token = session.access();
  const next = new Request(request);
  if (token) next.headers.set('Authorization', `Bearer ${token}`);
  return next;
}

/**
 * fetch with the bearer token; on 401 it tries one refresh and repeats the
 * request, and when that fails too it ends the session.
 */
export async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const response = await globalThis.fetch(withToken(input));
  if (response.status !== 401) return response;
  const refreshed = await refreshTokens();
  if (!refreshed) {
    session.clear();
    onUnauthorized();
    return response;
  }
  const second = await globalThis.fetch(withToken(retry));
  if (second.status === 401) {
    session.clear();
    onUnauthorized();
  }
  return second;
}
