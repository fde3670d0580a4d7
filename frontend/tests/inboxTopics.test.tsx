import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import type { Topic } from '../src/features/inbox/queries';
import { TopicsPanel } from '../src/features/inbox/settings/TopicsPanel';
import '../src/i18n';
import { fakeFetch, json, renderWithProviders } from './render';

const WATER: Topic = {
  id: 2,
  key: 'air',
  name: 'Sumber daya air',
  name_en: 'Water resources',
  keywords: { genangan: 0.6, banjir: 1 },
  learned: { embung: 0.4 },
  expert_ids: [7],
};
const MEMBERS = { items: [{ user_id: 7, email: 'sari@example.go.id', name: 'Sari', role: 'expert' }] };

function backend(patch: (body: unknown) => Response) {
  session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
  const fake = fakeFetch({
    'GET /api/v1/units/1/inbox/topics': () => json({ items: [WATER] }),
    'GET /api/v1/units/1/members': () => json(MEMBERS),
    'PATCH /api/v1/units/1/inbox/topics/2': async (r) => patch(await r.json()),
    'POST /api/v1/inbox/route': () =>
      json({
        threshold: 1,
        routed: true,
        suggestions: [{ topic_id: 2, key: 'air', name: 'Sumber daya air', score: 1.6, matched: ['banjir', 'genangan'] }],
      }),
  });
  vi.stubGlobal('fetch', fake.fn);
  return fake;
}

describe('TopicsPanel', { timeout: 20_000 }, () => {
  it('shows keyword and learned weights the Indonesian way and saves edited keywords', async () => {
    let sent: unknown;
    backend((body) => {
      sent = body;
      return json({ items: [{ ...WATER, keywords: { banjir: 1, rob: 1.5 } }] });
    });
    renderWithProviders(<TopicsPanel unitId={1} canManage />);
    const card = await screen.findByTestId('topic-card');
    expect(within(card).getByTestId('topic-weights')).toHaveTextContent('banjir 1,0 · genangan 0,6');
    expect(within(card).getByTestId('topic-learned')).toHaveTextContent('embung 0,4');
    const user = userEvent.setup();
    await user.click(within(card).getByTestId('topic-edit'));
    const box = screen.getByTestId('topic-keywords');
    expect(box).toHaveValue('genangan 0,6\nbanjir 1');
    await user.clear(box);
    await user.type(box, 'banjir{enter}rob 1,5');
    await user.click(screen.getByTestId('topic-save'));
    await waitFor(() => expect(sent).toEqual({ name: 'Sumber daya air', keywords: { banjir: 1, rob: 1.5 } }));
    expect(await screen.findByTestId('topic-weights')).toHaveTextContent('rob 1,5 · banjir 1,0');
  });

  it('names the line of a bad weight before sending, and a taken name from the server', async () => {
    const fake = backend(() =>
      json({ error: 'topic_name_taken', detail: 'taken', fields: { name: 'taken' }, rules: { name: 'invalid' }, limits: {} }, 409),
    );
    renderWithProviders(<TopicsPanel unitId={1} canManage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('topic-edit'));
    const box = screen.getByTestId('topic-keywords');
    await user.type(box, '{enter}rob 9');
    await user.click(screen.getByTestId('topic-save'));
    expect(await screen.findByText(/Baris 3 \("rob"\)/)).toBeInTheDocument();
    expect(fake.calls.some((r) => r.method === 'PATCH')).toBe(false);
    await user.clear(box);
    await user.type(box, 'banjir 1');
    await user.click(screen.getByTestId('topic-save'));
    expect(await screen.findByText('Unit ini sudah punya topik dengan nama ini.')).toBeInTheDocument();
  });

  it('tries a question and shows the topics, scores and matched words', async () => {
    backend(() => json({}));
    renderWithProviders(<TopicsPanel unitId={1} canManage={false} />);
    const user = userEvent.setup();
    await user.type(screen.getByTestId('route-try-input'), 'banjir dan genangan di jalan');
    await user.click(screen.getByTestId('route-try-submit'));
    const row = await screen.findByTestId('route-suggestion');
    expect(row).toHaveTextContent('1. Sumber daya air');
    expect(row).toHaveTextContent('skor 1,6');
    expect(within(row).getByText('genangan')).toBeInTheDocument();
    expect(screen.queryByTestId('topic-edit')).toBeNull();
  });
});
