/**
 * Which steps a reader may take on a post: from the permissions the API gives for their role in
 * the post's unit (`/me`, read through `app/permissions.permissionsOf`), the variants' states and
 * the unit's review policy. The server decides; this only hides buttons it would refuse.
 */
import type { Post, PostStatus, Unit } from '../../api/types';
import type { Can } from '../../app/permissions';

type Policy = Pick<Unit, 'approval_required' | 'four_eyes'>;

export interface Actions {
  save: boolean;
  delete: boolean;
  submit: boolean;
  approve: boolean;
  reject: boolean;
  schedule: boolean;
  publishNow: boolean;
  cancel: boolean;
  retry: boolean;
  /** Approving is refused because the reader wrote the post (four-eyes). */
  ownPostUnderFourEyes: boolean;
}

export function availableActions(
  post: Pick<Post, 'variants' | 'author'> | null,
  policy: Policy,
  can: Can,
  meId: number | null,
): Actions {
  const writes = can('write_posts');
  if (!post) {
    return { save: writes, delete: false, submit: false, approve: false, reject: false, schedule: false, publishNow: false, cancel: false, retry: false, ownPostUnderFourEyes: false };
  }
  const has = (...states: PostStatus[]) => post.variants.some((v) => states.includes(v.status));
  const isAuthor = meId !== null && post.author?.id === meId;
  const moves = can('manage_posts') || (writes && isAuthor);
  const approves = can('approve');
  const schedulable: PostStatus[] = policy.approval_required ? ['approved'] : ['approved', 'draft', 'in_review'];
  const ownPostUnderFourEyes = approves && policy.four_eyes && isAuthor && has('in_review');
  const editable = has('draft', 'in_review', 'approved', 'scheduled', 'failed');
  return {
    save: moves && editable,
    delete: moves && !has('publishing', 'published'),
    submit: moves && policy.approval_required && has('draft'),
    approve: approves && has('in_review') && !ownPostUnderFourEyes,
    reject: approves && has('in_review'),
    schedule: moves && has(...schedulable),
    publishNow: moves && has(...schedulable, 'scheduled'),
    cancel: moves && has('scheduled'),
    retry: moves && has('failed'),
    ownPostUnderFourEyes,
  };
}
