/** UU PDP 27/2022: a person's request to delete or restrict their data is carried out within
 * 3×24 hours. */
export const PRIVACY_DEADLINE_HOURS = 72;

export function privacyDeadline(requestedAt: string): Date {
  return new Date(Date.parse(requestedAt) + PRIVACY_DEADLINE_HOURS * 3_600_000);
}

export type PrivacyState = 'done' | 'late' | 'open' | 'overdue';

/** Done within the 3×24 hours, done late, still open, or open past the deadline. */
export function privacyState(requestedAt: string, doneAt: string | null, now: Date): PrivacyState {
  const deadline = privacyDeadline(requestedAt).getTime();
  if (doneAt) return Date.parse(doneAt) <= deadline ? 'done' : 'late';
  return now.getTime() <= deadline ? 'open' : 'overdue';
}
