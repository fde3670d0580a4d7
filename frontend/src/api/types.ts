import type { components } from './schema';

type Schemas = components['schemas'];

export type Platform = Schemas['Platform'];
export type Role = Schemas['Role'];
export type AccountStatus = Schemas['AccountStatus'];
export type PostStatus = Schemas['PostStatus'];
export type Unit = Schemas['UnitRead'];
export type Membership = Schemas['MembershipRead'];
export type Me = Schemas['MeRead'];
export type Meta = Schemas['Meta'];
export type TokenPair = Schemas['TokenPair'];
export type Account = Schemas['AccountRead'];
export type Variant = Schemas['VariantRead'];
export type VariantOptions = Schemas['VariantOptions'];
export type Followup = Schemas['FollowupRead'];
export type Post = Schemas['PostRead'];
export type PostPage = Schemas['PostList'];
export type VariantInput = Schemas['VariantIn'];
export type PostInput = Schemas['PostCreate'];
export type PostPatch = Schemas['PostUpdate'];
/** A validation problem as the server reports it, or one built from a 422's `fields`. */
export interface Problem {
  field: string;
  variant_index: number | null;
  account_id?: number | null;
  platform: Platform | null;
  rule: string;
  message: string;
  params: Record<string, unknown>;
}
export type ValidationResult = Schemas['ValidationReport'];
export type Media = Schemas['MediaRead'];
export type Notification = Schemas['NotificationRead'];
export type NotificationKind = Schemas['NotificationKind'];

export const POST_STATUSES: PostStatus[] = [
  'draft',
  'in_review',
  'approved',
  'scheduled',
  'publishing',
  'published',
  'failed',
  'unconfirmed',
];

export interface PostFilters {
  unit_id: number;
  date_from?: string;
  date_to?: string;
  status?: PostStatus;
  platform?: Platform;
  account_id?: number;
  category?: string;
  q?: string;
  limit?: number;
  offset?: number;
  cursor?: string;
  count?: boolean;
}
