import type { TokenPair } from './types';

/*
 * The access token lives only in this module's memory: nothing a script injected into the
 * page could read from storage. The refresh token is an HttpOnly cookie that only the
 * server's refresh route sees; after a reload the app asks that route for a new access
 * token (see restoreSession in http.ts). Each tab holds its own access token.
 */
let accessToken: string | null = null;

type Listener = () => void;
const listeners = new Set<Listener>();

export const session = {
  access(): string | null {
    return accessToken;
  },
  isLoggedIn(): boolean {
    return accessToken !== null;
  },
  store(tokens: TokenPair): void {
    accessToken = tokens.access_token;
    listeners.forEach((l) => l());
  },
  clear(): void {
    const had = accessToken !== null;
    accessToken = null;
    if (had) listeners.forEach((l) => l());
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
