/**
 * The calendar's API shapes (contract: GET /calendar, reschedule, templates). Kept here until
 * the generated schema carries them; then these become aliases of `components['schemas']`.
 */
import type { Platform, PostStatus } from '../../api/types';

export interface CalendarEntry {
  variant_id: number;
  post_id: number;
  title: string;
  excerpt: string;
  platform: Platform;
  account_id: number;
  account_name: string;
  status: PostStatus;
  held: boolean;
  /** UTC ISO: scheduled, else published, else the post's planned time. */
  at: string;
  category: string | null;
  author_id: number | null;
  author_name: string | null;
  external_url: string | null;
  media_count: number;
  can_move: boolean;
}

export type ObservanceKind = 'holiday' | 'cuti_bersama' | 'commemoration';

export interface Observance {
  date: string;
  name: string;
  name_en: string;
  kind: ObservanceKind;
  template_kind: 'greeting' | null;
}

export interface CalendarRead {
  unit_id: number;
  timezone: string;
  start: string;
  end: string;
  entries: CalendarEntry[];
  observances: Observance[];
}

export type TemplateKind = 'greeting' | 'event' | 'report' | 'other';

export interface Template {
  id: number;
  unit_id: number;
  name: string;
  kind: TemplateKind;
  title: string;
  base_text: string;
  texts: Partial<Record<Platform, string>>;
  category: string | null;
  hashtags: string[];
  created_at: string;
  updated_at: string;
}

export interface TemplateList {
  items: Template[];
}
