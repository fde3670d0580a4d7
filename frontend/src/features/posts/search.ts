import type { Platform, PostStatus } from '../../api/types';
import { POST_STATUSES } from '../../api/types';
import { isPlatform } from '../../platforms/ids';

export interface PostsSearch {
  from?: string;
  to?: string;
  status?: PostStatus;
  platform?: Platform;
  account?: number;
  category?: string;
  q?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Reads the posts list's URL search params, dropping anything malformed. */
export function parsePostsSearch(raw: Record<string, unknown>): PostsSearch {
  const from = str(raw.from);
  const to = str(raw.to);
  const status = str(raw.status);
  const platform = str(raw.platform);
  return {
    from: from && DAY.test(from) ? from : undefined,
    to: to && DAY.test(to) ? to : undefined,
    status: POST_STATUSES.includes(status as PostStatus) ? (status as PostStatus) : undefined,
    platform: isPlatform(platform) ? platform : undefined,
    account: positiveInt(raw.account),
    category: str(raw.category),
    q: str(raw.q),
  };
}
