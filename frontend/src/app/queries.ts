/** Query keys of the session (who is logged in, their units, the server's public facts). */
export const sessionKeys = {
  me: ['me'] as const,
  units: ['units'] as const,
  meta: ['meta'] as const,
};
