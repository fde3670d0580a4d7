import type { Perm } from '../../../app/permissions';

/** Whether the inbox's configuration is for this user: topics, saved answers and privacy
 * requests are the managers' (`manage_posts`), the inbox settings the unit admins'. Kept apart
 * from the screen so the inbox page can link to it without loading it. */
export function canConfigureInbox(can: (perm: Perm) => boolean): boolean {
  return can('manage_posts') || can('manage_unit');
}
