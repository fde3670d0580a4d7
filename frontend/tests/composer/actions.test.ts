import { describe, expect, it } from 'vitest';
import type { Me, Post } from '../../src/api/types';
import type { Can } from '../../src/app/permissions';
import { permissionsOf } from '../../src/app/permissions';
import { availableActions } from '../../src/features/composer/actions';

const me = (permissions: string[] | undefined, superuser = false) =>
  ({ id: 5, is_superuser: superuser, memberships: [{ unit: { id: 1 }, role: 'editor', permissions }] }) as unknown as Me;
const post = (status: Post['status'], authorId = 9) =>
  ({ author: { id: authorId }, variants: [{ status }] }) as unknown as Post;
const strict = { approval_required: true, four_eyes: true };
const allow = (...perms: string[]): Can => (perm) => perms.includes(perm);

describe('actions from the session permissions', () => {
  it('reads the permissions of the session (app/permissions), not a role table', () => {
    const viewer = permissionsOf(me(['read']), 1);
    expect(availableActions(post('in_review'), strict, viewer, 5).approve).toBe(false);
    expect(availableActions(post('in_review'), strict, permissionsOf(me(['read', 'approve']), 1), 5).approve).toBe(true);
    // A superuser administers every unit, as the server treats them, even one they are a member of.
    expect(availableActions(post('in_review'), strict, permissionsOf(me(['read'], true), 1), 5).approve).toBe(true);
    expect(availableActions(post('draft'), strict, permissionsOf(me(['read', 'write_posts']), 2), 5).save).toBe(false);
  });

  it('an approver may approve someone else\u2019s post in review, not their own under four-eyes', () => {
    const perms = allow('read', 'write_posts', 'approve');
    expect(availableActions(post('in_review'), strict, perms, 5).approve).toBe(true);
    const own = availableActions(post('in_review', 5), strict, perms, 5);
    expect([own.approve, own.ownPostUnderFourEyes, own.reject]).toEqual([false, true, true]);
  });

  it('a writer submits and edits only their own post; a reader does nothing', () => {
    const writer = allow('read', 'write_posts');
    expect(availableActions(post('draft', 5), strict, writer, 5).submit).toBe(true);
    expect(availableActions(post('draft', 9), strict, writer, 5).save).toBe(false);
    expect(availableActions(post('draft', 9), strict, allow('read', 'write_posts', 'manage_posts'), 5).save).toBe(true);
    const reader = availableActions(post('draft'), strict, allow('read'), 5);
    expect(Object.values(reader).some(Boolean)).toBe(false);
    expect(availableActions(null, strict, writer, 5).save).toBe(true);
  });

  it('scheduling follows the unit policy', () => {
    const writer = allow('write_posts');
    expect(availableActions(post('draft', 5), strict, writer, 5).schedule).toBe(false);
    expect(availableActions(post('draft', 5), { approval_required: false, four_eyes: false }, writer, 5).schedule).toBe(true);
    expect(availableActions(post('scheduled', 5), strict, writer, 5).cancel).toBe(true);
    expect(availableActions(post('published', 5), strict, writer, 5).save).toBe(false);
  });
});
