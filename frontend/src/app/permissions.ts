import { useCallback } from 'react';
import type { Me, Role } from '../api/types';
import { useMe, useUnits } from './useSession';

/** What a member may do in a unit (the backend's `Perm`). */
export type Perm = 'read' | 'write_posts' | 'manage_posts' | 'approve' | 'manage_accounts' | 'manage_unit';
export type Can = (perm: Perm) => boolean;

const ALL: readonly Perm[] = ['read', 'write_posts', 'manage_posts', 'approve', 'manage_accounts', 'manage_unit'];

// Only for a server whose /me does not list `permissions` per membership yet: the one place
// the web app knows the roles. Remove once every server sends them.
const ROLE_FALLBACK: Record<Role, readonly Perm[]> = {
  admin: ALL,
  editor: ['read', 'write_posts', 'manage_posts', 'approve'],
  contributor: ['read', 'write_posts'],
  expert: ['read'],
  viewer: ['read'],
};

/** The permissions a role carries (from the fallback table); for tests and old servers. */
export function roleCan(role: Role | null): Can {
  const perms = new Set<Perm>(role ? ROLE_FALLBACK[role] : []);
  return (perm) => perms.has(perm);
}

/** The permissions of this user in a unit: the server's list when /me has one. */
export function permissionsOf(me: Me | undefined, unitId: number | null | undefined): Can {
  if (!me) return () => false;
  if (me.is_superuser) return () => true;
  const membership = me.memberships.find((m) => m.unit.id === unitId);
  if (!membership) return () => false;
  const listed = (membership as { permissions?: unknown }).permissions;
  if (Array.isArray(listed)) {
    const perms = new Set(listed as string[]);
    return (perm) => perms.has(perm);
  }
  return roleCan(membership.role);
}

/** What the user may do in the unit they are working in. */
export function usePermissions(): Can {
  const me = useMe();
  const { unit } = useUnits();
  const unitId = unit?.id;
  const data = me.data;
  return useCallback<Can>((perm) => permissionsOf(data, unitId)(perm), [data, unitId]);
}

/** Whether the user may do `perm` in the unit they are working in. */
export function useCan(perm: Perm): boolean {
  return usePermissions()(perm);
}
