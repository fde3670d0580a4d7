import type { TokenPair } from './types';

const ACCESS_KEY = 'gaung.access';
const REFRESH_KEY = 'gaung.refresh';

type Listener = () => void;
const listeners = new Set<Listener>();

export const session = {
  access(): string | null {
    return localStorage.getItem(ACCESS_KEY);
  },
  refresh(): string | null {
    return localStorage.getItem(REFRESH_KEY);
  },
  isLoggedIn(): boolean {
    return Boolean(localStorage.getItem(REFRESH_KEY) || localStorage.getItem(ACCESS_KEY));
  },
  store(tokens: TokenPair): void {
    localStorage.setItem(ACCESS_KEY, tokens.access_token);
    localStorage.setItem(REFRESH_KEY, tokens.refresh_token);
    listeners.forEach((l) => l());
  },
  clear(): void {
    const had = this.isLoggedIn();
    localStorage.removeItem(ACCESS_KEY);
    localStorage.removeItem(REFRESH_KEY);
    if (had) listeners.forEach((l) => l());
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
