import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Account } from '../../src/api/types';
import { session } from '../../src/api/session';
import i18n from '../../src/i18n';
import { fakeFetch, json, renderWithProviders } from '../render';

const navigate = vi.fn();
vi.mock('@tanstack/react-router', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@tanstack/react-router')>()),
  useNavigate: () => navigate,
  useBlocker: () => ({ status: 'idle' }),
}));

const { ComposerForm } = await import('../../src/features/composer/ComposerForm');
const { emptyValues } = await import('../../src/features/composer/model');
const { availableActions } = await import('../../src/features/composer/actions');
const { publishingSettings } = await import('../../src/features/composer/unit');

const accounts = [{ id: 1, platform: 'x', handle: '@ptpsw', display_name: 'PTPSW', status: 'active', sandbox: true }] as unknown as Account[];
const TEXT_REQUIRED = {
  field: 'variants.0.text',
  variant_index: 0,
  account_id: 1,
  platform: 'x',
  rule: 'x.text.required',
  message: 'X: text is required',
  params: {},
};

function setup(routes: Parameters<typeof fakeFetch>[0]) {
  const fetch = fakeFetch({
    'GET /api/v1/posts/categories': () => json({ items: [] }),
    ...routes,
  });
  vi.stubGlobal('fetch', fetch.fn);
  const initial = { ...emptyValues(1), accountIds: [1] };
  const settings = publishingSettings(null);
  const can = availableActions(null, { approval_required: true, four_eyes: true }, (perm) => perm === 'write_posts', 1);
  renderWithProviders(
    <ComposerForm postId={null} post={null} initial={initial} accounts={accounts} unit={null} settings={settings} can={can} />,
  );
  return fetch;
}

// The whole form renders (Mantine, tabs, pickers): slower than a unit test on a busy machine.
describe('ComposerForm', { timeout: 20_000 }, () => {
  beforeEach(async () => {
    localStorage.clear();
    session.store({ access_token: 'a', token_type: 'bearer', expires_in: 900 } as never);
    await i18n.changeLanguage('id');
  });

  it('shows nothing red before the user typed, and after a save attempt focuses the first field in error', async () => {
    const fetch = setup({
      'POST /api/v1/posts/validate': () => json({ valid: false, problems: [TEXT_REQUIRED], variants: [], warnings: [] }),
    });
    await waitFor(() => expect(fetch.calls.some((c) => c.url.endsWith('/posts/validate'))).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);
    expect(screen.queryByText('Perbaiki sebelum menyimpan')).toBeNull();
    expect(screen.queryByLabelText('Ada masalah')).toBeNull();

    await userEvent.click(screen.getByTestId('form-save'));
    expect(await screen.findByText('Judul wajib diisi')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('form-title')).toHaveFocus());
    // After the attempt the server's problem marks the X tab.
    expect(screen.getByLabelText('Ada masalah')).toBeInTheDocument();
  });

  it('keeps no stale save error beside a changed form', async () => {
    setup({
      'POST /api/v1/posts/validate': () => json({ valid: true, problems: [], variants: [], warnings: [] }),
      'POST /api/v1/posts': () => json({ error: 'internal', detail: 'boom' }, 500),
    });
    fireEvent.change(screen.getByTestId('form-title'), { target: { value: 'Judul' } });
    fireEvent.change(screen.getByTestId('text-base'), { target: { value: 'Halo' } });
    await userEvent.click(screen.getByTestId('form-save'));
    expect(await screen.findByTestId('save-error')).toHaveTextContent('tetap tersimpan di perangkat ini');
    fireEvent.change(screen.getByTestId('text-base'), { target: { value: 'Halo!' } });
    await waitFor(() => expect(screen.queryByTestId('save-error')).toBeNull());
  });

  it('keeps unsaved edits in localStorage after typing pauses', async () => {
    setup({ 'POST /api/v1/posts/validate': () => json({ valid: true, problems: [], variants: [], warnings: [] }) });
    fireEvent.change(screen.getByTestId('text-base'), { target: { value: 'Jangan hilang' } });
    await waitFor(() => expect(localStorage.getItem('gaung.composer.draft.new')).toContain('Jangan hilang'), { timeout: 3000 });
  });
});
