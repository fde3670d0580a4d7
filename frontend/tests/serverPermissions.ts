import type { Role } from '../src/api/types';

/** What the server's /me lists for each role (backend `auth/permissions.py`), for fixtures only:
 * the app itself reads the list from /me. */
export const SERVER_PERMISSIONS: Record<Role, string[]> = {
  admin: ['read', 'write_posts', 'manage_posts', 'approve', 'manage_accounts', 'manage_unit'],
  editor: ['read', 'write_posts', 'manage_posts', 'approve'],
  contributor: ['read', 'write_posts'],
  expert: ['read'],
  viewer: ['read'],
};
