/** Sends the browser to another site (the platform's login page); kept apart so tests can stub it. */
export function leaveTo(url: string): void {
  globalThis.location.assign(url);
}
