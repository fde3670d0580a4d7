import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import { ReplyBox } from '../src/features/inbox/ConversationPage';
import type { Conversation } from '../src/features/inbox/queries';
import '../src/i18n';
import { fakeFetch, json, renderWithProviders } from './render';

const CONVERSATION = { id: 4, topic_id: 2 } as Conversation;
const SAVED = { items: [{ id: 1, topic_id: 2, title: 'Formasi CPNS', text: 'Formasi diumumkan di sscasn.' }] };

function backend(answer: () => Response) {
  session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
  const fake = fakeFetch({
    'GET /api/v1/units/1/inbox/saved-answers': () => json(SAVED),
    'POST /api/v1/inbox/conversations/4/answers': answer,
  });
  vi.stubGlobal('fetch', fake.fn);
  return fake;
}

describe('ReplyBox', { timeout: 20_000 }, () => {
  it('inserts a saved answer to edit and sends it', async () => {
    const fake = backend(() => json({ ...CONVERSATION, status: 'answered' }));
    renderWithProviders(<ReplyBox c={CONVERSATION} unitId={1} />);
    const user = userEvent.setup();
    await waitFor(() => expect(fake.calls.some((r) => r.url.includes('saved-answers'))).toBe(true));
    await user.click(screen.getAllByLabelText('Jawaban tersimpan')[0]);
    await user.click(await screen.findByText('Formasi CPNS'));
    const box = screen.getByLabelText('Jawaban');
    expect(box).toHaveValue('Formasi diumumkan di sscasn.');
    await user.type(box, ' Tanpa biaya.');
    await user.click(screen.getByRole('button', { name: 'Kirim balasan' }));
    await waitFor(() => expect(fake.calls.some((r) => r.method === 'POST')).toBe(true));
    const sent = fake.calls.find((r) => r.method === 'POST')!;
    expect(await sent.json()).toEqual({ text: 'Formasi diumumkan di sscasn. Tanpa biaya.', outside: false });
  });

  it("explains X's summoned-reply rule", async () => {
    backend(() => json({ error: 'reply_not_summoned', detail: 'X only lets…', fields: {} }, 409));
    renderWithProviders(<ReplyBox c={CONVERSATION} unitId={1} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Jawaban'), 'Halo');
    await user.click(screen.getByRole('button', { name: 'Kirim balasan' }));
    expect(await screen.findByTestId('inbox-answer-error')).toHaveTextContent('Jawab langsung di X');
  });
});
