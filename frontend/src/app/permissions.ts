import { useCallback } from 'react';
import type { Me } from '../api/types';
import { useMe, useUnits } from './useSession';

/** What a member may do in a unit (the backend's `Perm`). */
export type Perm = 'read' | 'write_posts' | 'manage_posts' | 'approve' | 'manage_accounts' | 'manage_unit';
export type Can = (perm: Perm) => boolean;

/** The permissions of this user in a unit, as the server lists them in /me: the web app keeps
 * no copy of the role table. */
export function permissionsOf(me: Me | undefined, unitId: number | null | undefined): Can {
  if (!me) return () => false;
  if (me.is_superuser) return () => true;
  const membership = me.memberships.find((m) => m.unit.id === unitId);
  if (!membership) return () => false;
  const perms = new Set<string>(membership.permissions);
  return (perm) => perms.has(perm);
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
