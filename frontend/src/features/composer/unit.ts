import type { Unit } from '../../api/types';

/** The unit's publishing settings added this round, read with the contract's defaults. */
export interface PublishingSettings {
  checklist: string[];
  defaultSlots: string[];
  requireAltText: boolean;
  timeZone: string;
  /** The server speaks this round's contract (publishing settings, `data_source`). */
  known: boolean;
}

export function publishingSettings(unit: Unit | null | undefined): PublishingSettings {
  const u = (unit ?? {}) as Partial<Unit> & { checklist?: string[]; default_slots?: string[]; require_alt_text?: boolean };
  return {
    checklist: u.checklist ?? [],
    defaultSlots: u.default_slots ?? ['09:00', '12:00', '19:00'],
    requireAltText: u.require_alt_text ?? true,
    timeZone: u.timezone ?? 'Asia/Jakarta',
    known: u.checklist !== undefined,
  };
}
