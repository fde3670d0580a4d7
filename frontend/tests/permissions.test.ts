import { describe, expect, it } from 'vitest';
import type { Me } from '../src/api/types';
import { permissionsOf } from '../src/app/permissions';

const unit = { id: 1, name: 'PTPSW', slug: 'ptpsw', timezone: 'Asia/Jakarta', approval_required: true, four_eyes: true, created_at: '' };

function me(membership: Record<string, unknown>, superuser = false): Me {
  return {
    id: 7,
    email: 'a@b.go.id',
    name: 'A',
    is_superuser: superuser,
    locale: 'id',
    memberships: [{ unit, ...membership }],
  } as unknown as Me;
}

describe('permissions', () => {
  it("uses the server's list when /me has one, whatever the role says", () => {
    const can = permissionsOf(me({ role: 'viewer', permissions: ['read', 'approve'] }), 1);
    expect(can('approve')).toBe(true);
    expect(can('write_posts')).toBe(false);
  });

  it('gives a member only what the server lists, never what the role name suggests', () => {
    const can = permissionsOf(me({ role: 'admin', permissions: ['read'] }), 1);
    expect(can('read')).toBe(true);
    expect(can('manage_unit')).toBe(false);
  });

  it('gives nothing in another unit and everything to a superuser', () => {
    expect(permissionsOf(me({ role: 'admin', permissions: ['read'] }), 2)('read')).toBe(false);
    expect(permissionsOf(me({ role: 'viewer', permissions: ['read'] }, true), 2)('manage_unit')).toBe(true);
    expect(permissionsOf(undefined, 1)('read')).toBe(false);
  });
});
