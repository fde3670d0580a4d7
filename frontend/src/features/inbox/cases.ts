/** Pure logic of a conversation's legal side: the suggested kind, the UU KIP clock and its
 * one extension, the SP4N-LAPOR! reference, and erased messages. */
import type { Conversation } from './queries';

export type RequestKind = Conversation['request_kind'];
export type SuggestedKind = NonNullable<Conversation['suggested_kind']>;

/** The statuses SP4N-LAPOR! shows for a report, in the order a report goes through them. */
export const LAPOR_STATUSES = ['Belum terverifikasi', 'Terverifikasi', 'Diteruskan', 'Diproses', 'Selesai'] as const;

// What the API requires of an extension's reason (inbox/schemas.py ExtendIn).
export const REASON_MIN = 10;
export const REASON_MAX = 2000;
// The clock turns to a warning this many working days before the deadline.
export const SOON_DAYS = 3;

/** The mark a suggestion leads to. */
export function requestKindFor(kind: SuggestedKind): Exclude<RequestKind, 'none'> {
  return kind === 'information_request' ? 'information' : 'complaint';
}

/** A suggestion is offered only while nobody has marked the conversation. */
export function showSuggestion(c: Pick<Conversation, 'suggested_kind' | 'request_kind'>): boolean {
  return c.suggested_kind != null && c.request_kind === 'none';
}

export type ClockTone = 'ok' | 'soon' | 'overdue';

export interface KipClock {
  daysLeft: number;
  tone: ClockTone;
  canExtend: boolean;
}

/** The legal clock of a public-information request, or null when there is none. */
export function kipClock(
  c: Pick<Conversation, 'request_kind' | 'kip_due_at' | 'kip_working_days_left' | 'kip_extended' | 'can_manage'>,
): KipClock | null {
  if (c.request_kind !== 'information' || !c.kip_due_at || c.kip_working_days_left == null) return null;
  const daysLeft = c.kip_working_days_left;
  const tone: ClockTone = daysLeft < 0 ? 'overdue' : daysLeft <= SOON_DAYS ? 'soon' : 'ok';
  return { daysLeft, tone, canExtend: c.can_manage && !c.kip_extended };
}

export type ReasonProblem = 'required' | 'tooShort' | 'tooLong' | null;

/** Why an extension's written reason cannot be sent yet (the law asks for a real reason). */
export function reasonProblem(reason: string): ReasonProblem {
  const text = reason.trim();
  if (!text) return 'required';
  if (text.length < REASON_MIN) return 'tooShort';
  if (text.length > REASON_MAX) return 'tooLong';
  return null;
}

export type LaporProblem = 'referenceRequired' | 'statusRequired' | null;

export function laporProblem(reference: string, status: string | null): LaporProblem {
  if (!reference.trim()) return 'referenceRequired';
  if (!status) return 'statusRequired';
  return null;
}

/** A status the API holds that is not one of LAPOR's own still shows as an option. */
export function laporStatusOptions(current: string | null | undefined): string[] {
  const all: string[] = [...LAPOR_STATUSES];
  return current && !all.includes(current) ? [...all, current] : all;
}
