import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import { KindSuggestion, KipClockCard } from '../src/features/inbox/ConversationPage';
import type { Conversation } from '../src/features/inbox/queries';
import '../src/i18n';
import { fakeFetch, json, renderWithProviders } from './render';

const BASE = {
  id: 7,
  request_kind: 'none',
  suggested_kind: 'information_request',
  suggested_kind_words: ['minta data', 'skripsi'],
  kip_due_at: null,
  kip_working_days_left: null,
  kip_extended: false,
  kip_extension_reason: null,
  can_manage: true,
} as unknown as Conversation;
const REQUEST = {
  ...BASE,
  request_kind: 'information',
  kip_due_at: '2026-12-09T16:59:59Z',
  kip_working_days_left: -2,
} as Conversation;

function backend(routes: Parameters<typeof fakeFetch>[0]) {
  session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
  const fake = fakeFetch(routes);
  vi.stubGlobal('fetch', fake.fn);
  return fake;
}

describe('the suggested kind', { timeout: 20_000 }, () => {
  it('shows the words and marks the conversation with one click', async () => {
    const fake = backend({ 'POST /api/v1/inbox/conversations/7/request': () => json(REQUEST) });
    renderWithProviders(<KindSuggestion c={BASE} />);
    expect(screen.getByText('Tampaknya permohonan informasi publik')).toBeInTheDocument();
    expect(screen.getAllByTestId('inbox-kind-word').map((w) => w.textContent)).toEqual(['minta data', 'skripsi']);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Tandai sebagai permohonan informasi' }));
    await waitFor(() => expect(fake.calls.some((r) => r.method === 'POST')).toBe(true));
    expect(await fake.calls.find((r) => r.method === 'POST')!.json()).toEqual({ kind: 'information' });
  });

  it('is not a button for those who cannot mark it', () => {
    renderWithProviders(<KindSuggestion c={{ ...BASE, can_manage: false }} />);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText('Admin atau editor yang dapat menandainya.')).toBeInTheDocument();
  });
});

describe('the UU KIP clock', { timeout: 20_000 }, () => {
  it('highlights an overdue request and extends it only with a written reason', async () => {
    const fake = backend({
      'POST /api/v1/inbox/conversations/7/request/extend': () =>
        json({ ...REQUEST, kip_extended: true, kip_extension_reason: 'Data dihimpun dari tiga balai.' }),
    });
    renderWithProviders(<KipClockCard c={REQUEST} when={(iso) => iso ?? ''} />);
    expect(screen.getByTestId('inbox-kip')).toHaveAttribute('data-tone', 'overdue');
    expect(screen.getByTestId('inbox-kip-left')).toHaveTextContent('Terlambat 2 hari kerja');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Perpanjang 7 hari kerja' }));
    const send = await screen.findByTestId('inbox-kip-extend-send');
    const reason = screen.getByTestId('inbox-kip-reason');
    await user.type(reason, 'nanti');
    await user.tab();
    expect(send).toBeDisabled();
    expect(await screen.findByText('Alasan minimal 10 karakter.')).toBeInTheDocument();
    await user.type(reason, ' data dihimpun dari tiga balai.');
    await user.click(send);
    await waitFor(() => expect(fake.calls.some((r) => r.method === 'POST')).toBe(true));
    expect(await fake.calls.find((r) => r.method === 'POST')!.json()).toEqual({
      reason: 'nanti data dihimpun dari tiga balai.',
    });
  });

  it('offers no second extension', () => {
    renderWithProviders(
      <KipClockCard c={{ ...REQUEST, kip_extended: true, kip_extension_reason: 'Alasan' }} when={(iso) => iso ?? ''} />,
    );
    expect(screen.queryByRole('button', { name: 'Perpanjang 7 hari kerja' })).toBeNull();
    expect(screen.getByTestId('inbox-kip-reason-shown')).toHaveTextContent('Alasan');
  });
});
