import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import type { Post, PostStatus, Unit } from '../src/api/types';
import { WorkflowPanel, availableActions } from '../src/features/posts/WorkflowPanel';
import { fakeFetch, json, renderWithProviders } from './render';

const UNIT: Unit = { id: 1, name: 'PTPSW', slug: 'ptpsw', timezone: 'Asia/Jakarta', approval_required: true, four_eyes: true, checklist: [], default_slots: ['09:00'], require_alt_text: true, created_at: '' };

function post(statuses: PostStatus[], authorId = 7, extra: Partial<Post> = {}): Post {
  return {
    id: 5,
    unit_id: 1,
    title: 'Rilis',
    category: null,
    campaign: null,
    notes: null,
    status: statuses[0],
    planned_at: '2030-03-02T02:00:00Z',
    author: { id: authorId, name: 'Penulis' },
    review_comment: null,
    created_at: '',
    updated_at: '',
    variants: statuses.map((status, i) => ({
      id: 10 + i,
      account_id: 1 + i,
      platform: i ? 'facebook' : 'x',
      text: 'Halo',
      media_ids: [],
      media: [],
      status,
      scheduled_at: null,
      external_id: null,
      external_url: null,
      attempts: 0,
      last_error: null,
      last_error_id: null,
      last_error_code: null,
      next_attempt_at: null,
      held: null,
    })),
    ...extra,
  } as Post;
}

describe('availableActions', () => {
  it('lets the author submit a draft, and only editors approve', () => {
    const draft = post(['draft']);
    expect(availableActions(draft, UNIT, 'contributor', 7).submit).toBe(true);
    expect(availableActions(draft, UNIT, 'contributor', 8).submit).toBe(false);
    expect(availableActions(draft, UNIT, 'viewer', 7).submit).toBe(false);
    const review = post(['in_review']);
    expect(availableActions(review, UNIT, 'editor', 8)).toMatchObject({ approve: true, reject: true });
    expect(availableActions(review, UNIT, 'contributor', 7)).toMatchObject({ approve: false, reject: false });
  });

  it('follows four-eyes and the approval policy', () => {
    const review = post(['in_review']);
    expect(availableActions(review, UNIT, 'editor', 7)).toMatchObject({ approve: false, ownPostUnderFourEyes: true });
    expect(availableActions(review, { ...UNIT, four_eyes: false }, 'editor', 7).approve).toBe(true);
    const draft = post(['draft']);
    expect(availableActions(draft, UNIT, 'contributor', 7).schedule).toBe(false);
    expect(availableActions(draft, { ...UNIT, approval_required: false }, 'contributor', 7)).toMatchObject({
      schedule: true,
      submit: false,
    });
  });

  it('offers cancel for scheduled and retry for failed variants', () => {
    expect(availableActions(post(['scheduled', 'publishing']), UNIT, 'editor', 8)).toMatchObject({ cancel: true, schedule: false });
    expect(availableActions(post(['failed', 'published']), UNIT, 'editor', 8)).toMatchObject({ retry: true, cancel: false });
  });
});

describe('WorkflowPanel', () => {
  it('shows each variant status and rejects with a comment', async () => {
    session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
    const fake = fakeFetch({
      'POST /api/v1/posts/5/reject': async (r) => {
        const body = (await r.json()) as { comment: string };
        return json(post(['draft', 'draft'], 7, { review_comment: body.comment }));
      },
    });
    vi.stubGlobal('fetch', fake.fn);
    renderWithProviders(<WorkflowPanel post={post(['in_review', 'in_review'])} unit={UNIT} role="editor" meId={8} />);
    expect(screen.getByTestId('workflow-variant-10')).toHaveTextContent('Ditinjau');
    expect(screen.queryByTestId('workflow-submit')).toBeNull();
    await userEvent.click(screen.getByTestId('workflow-reject'));
    const confirm = screen.getByTestId('workflow-reject-confirm');
    expect(confirm).toBeDisabled();
    await userEvent.type(screen.getByTestId('workflow-reject-comment'), 'Tambahkan tautan');
    await userEvent.click(confirm);
    await waitFor(() => expect(fake.calls.length).toBe(1));
    expect(await fake.calls[0].json()).toEqual({ comment: 'Tambahkan tautan' });
  });

  it('schedules at a time read in the unit zone and shows a refusal', async () => {
    session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
    const fake = fakeFetch({
      'POST /api/v1/posts/5/schedule': () =>
        json({ error: 'schedule_in_past', detail: 'The time has passed.', fields: { at: 'must be in the future' } }, 422),
    });
    vi.stubGlobal('fetch', fake.fn);
    renderWithProviders(<WorkflowPanel post={post(['approved'])} unit={UNIT} role="contributor" meId={7} />);
    await userEvent.click(screen.getByTestId('workflow-schedule'));
    expect(screen.getByTestId('edit-sends-back')).toHaveTextContent('ditinjau ulang');
    const input = screen.getByTestId('workflow-schedule-at') as HTMLInputElement;
    expect(input.value).toBe('2030-03-02T09:00'); // the planned time, in WIB
    await userEvent.clear(input);
    await userEvent.type(input, '2030-04-01T08:30');
    await userEvent.click(screen.getByTestId('workflow-schedule-confirm'));
    await waitFor(() => expect(screen.getByTestId('workflow-error')).toHaveTextContent('Waktu itu sudah lewat'));
    expect(await fake.calls[0].json()).toEqual({ at: '2030-04-01T01:30:00.000Z' });
  });

  it('explains a refused step in the reader’s language, and an unknown one in the server’s words', async () => {
    session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
    const fake = fakeFetch({
      'POST /api/v1/posts/5/publish-now': () =>
        json({ error: 'account_not_active', detail: 'Some accounts cannot publish now: account @humas is disabled.', fields: {} }, 409),
      'POST /api/v1/posts/5/cancel': () =>
        json({ error: 'post_archived', detail: 'The post is archived; it cannot be cancelled now.', fields: {} }, 409),
    });
    vi.stubGlobal('fetch', fake.fn);
    renderWithProviders(<WorkflowPanel post={post(['approved', 'scheduled'])} unit={UNIT} role="editor" meId={8} />);
    await userEvent.click(screen.getByTestId('workflow-publish-now'));
    await waitFor(() => expect(screen.getByTestId('workflow-error')).toHaveTextContent('Periksa halaman Akun'));
    await userEvent.click(screen.getByTestId('workflow-cancel'));
    await waitFor(() => expect(screen.getByTestId('workflow-error')).toHaveTextContent('archived'));
  });

  it('shows the reviewer’s comment on a draft sent back', () => {
    renderWithProviders(
      <WorkflowPanel post={post(['draft'], 7, { review_comment: 'Perbaiki judul' })} unit={UNIT} role="contributor" meId={7} />,
    );
    expect(screen.getByTestId('review-comment')).toHaveTextContent('Perbaiki judul');
    expect(screen.getByTestId('workflow-submit')).toBeInTheDocument();
  });

  it('marks held variants and gives a failure in the reader’s language', () => {
    const base = post(['scheduled', 'failed']);
    const [scheduled, failed] = base.variants;
    const shown = {
      ...base,
      variants: [
        { ...scheduled, held: 'unit_pause' as const },
        { ...failed, last_error: 'X refused the duplicate.', last_error_id: 'X menolak teks yang sama.' },
      ],
    };
    renderWithProviders(<WorkflowPanel post={shown} unit={UNIT} role="editor" meId={8} />);
    expect(screen.getByTestId('workflow-held-10')).toHaveTextContent('unit sedang dijeda');
    expect(screen.queryByTestId('workflow-held-11')).toBeNull();
    expect(screen.getByTestId('workflow-error-11')).toHaveTextContent('X menolak teks yang sama.');
  });
});
