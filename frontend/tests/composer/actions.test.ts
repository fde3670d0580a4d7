import { describe, expect, it } from 'vitest';
import type { Me, Post } from '../../src/api/types';
import { availableActions, permissionsIn } from '../../src/features/composer/actions';

const me = (permissions: string[] | undefined, superuser = false) =>
  ({ id: 5, is_superuser: superuser, memberships: [{ unit: { id: 1 }, role: 'editor', permissions }] }) as unknown as Me;
const post = (status: Post['status'], authorId = 9) =>
  ({ author: { id: authorId }, variants: [{ status }] }) as unknown as Post;
const strict = { approval_required: true, four_eyes: true };

describe('actions from the session permissions', () => {
  it('reads the permissions of the membership in the post unit, not a role table', () => {
    expect([...permissionsIn(me(['read', 'approve']), 1)]).toEqual(['read', 'approve']);
    expect(permissionsIn(me(['read']), 2).size).toBe(0);
    expect(permissionsIn({ ...me([]), memberships: [] } as Me, 2).size).toBe(0);
    expect(permissionsIn({ ...me([], true), memberships: [] } as Me, 2).has('approve')).toBe(true);
  });

  it('an approver may approve someone else\u2019s post in review, not their own under four-eyes', () => {
    const perms = new Set(['read', 'write_posts', 'approve']);
    expect(availableActions(post('in_review'), strict, perms, 5).approve).toBe(true);
    const own = availableActions(post('in_review', 5), strict, perms, 5);
    expect([own.approve, own.ownPostUnderFourEyes, own.reject]).toEqual([false, true, true]);
  });

  it('a writer submits and edits only their own post; a reader does nothing', () => {
    const writer = new Set(['read', 'write_posts']);
    expect(availableActions(post('draft', 5), strict, writer, 5).submit).toBe(true);
    expect(availableActions(post('draft', 9), strict, writer, 5).save).toBe(false);
    expect(availableActions(post('draft', 9), strict, new Set(['read', 'write_posts', 'manage_posts']), 5).save).toBe(true);
    const reader = availableActions(post('draft'), strict, new Set(['read']), 5);
    expect(Object.values(reader).some(Boolean)).toBe(false);
    expect(availableActions(null, strict, writer, 5).save).toBe(true);
  });

  it('scheduling follows the unit policy', () => {
    const writer = new Set(['write_posts']);
    expect(availableActions(post('draft', 5), strict, writer, 5).schedule).toBe(false);
    expect(availableActions(post('draft', 5), { approval_required: false, four_eyes: false }, writer, 5).schedule).toBe(true);
    expect(availableActions(post('scheduled', 5), strict, writer, 5).cancel).toBe(true);
    expect(availableActions(post('published', 5), strict, writer, 5).save).toBe(false);
  });
});
