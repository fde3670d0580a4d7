import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import { fakeFetch, json, renderWithProviders } from './render';

const navigate = vi.fn();
vi.mock('@tanstack/react-router', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@tanstack/react-router')>()),
  useNavigate: () => navigate,
}));

const { PostFormPage } = await import('../src/features/posts/PostFormPage');

const UNIT = { id: 1, name: 'PTPSW', slug: 'ptpsw', timezone: 'Asia/Jakarta', requires_approval: true, created_at: '' };
const ACCOUNTS = [
  { id: 3, platform: 'facebook', handle: 'PTPSW.BPPT' },
  { id: 2, platform: 'instagram', handle: '@PTPSW_BPPT' },
  { id: 1, platform: 'x', handle: '@PTPSW_BPPT' },
].map((a) => ({
  ...a,
  unit_id: 1,
  sandbox: true,
  external_id: `sandbox-${a.id}`,
  display_name: 'PTPSW',
  status: 'active',
  token_expires_at: null,
  avatar_url: null,
  connected: true,
  last_error: null,
  last_error_at: null,
  rate_limit: null,
  created_at: '',
  updated_at: '',
}));

interface Body {
  title: string;
  planned_at: string | null;
  variants: { account_id: number; text: string }[];
}

function xProblems(body: Body) {
  return body.variants.flatMap((v, index) =>
    v.account_id === 1 && v.text.length > 280
      ? [
          {
            field: `variants.${index}.text`,
            variant_index: index,
            account_id: 1,
            platform: 'x',
            rule: 'x.text.too_long',
            message: `X: ${v.text.length}/280 weighted characters`,
            params: { length: v.text.length, max: 280 },
          },
        ]
      : [],
  );
}

function backend(onCreate: (body: Body) => Response) {
  session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
  const fake = fakeFetch({
    'GET /api/v1/me': () =>
      json({ id: 1, email: 'a@b.id', name: 'A', locale: 'id', is_superuser: false, memberships: [{ role: 'admin', unit: UNIT }] }),
    'GET /api/v1/accounts': () => json({ items: ACCOUNTS }),
    'GET /api/v1/posts/categories': () => json({ items: ['Acara', 'Layanan Publik'] }),
    'POST /api/v1/posts/validate': async (r) => {
      const body = (await r.json()) as Body;
      const problems = xProblems(body);
      return json({
        valid: problems.length === 0,
        problems,
        variants: body.variants.map((v, index) => ({
          index,
          account_id: v.account_id,
          platform: ACCOUNTS.find((a) => a.id === v.account_id)!.platform,
          length: v.text.length,
          max_length: v.account_id === 1 ? 280 : 2200,
        })),
      });
    },
    'POST /api/v1/posts': async (r) => onCreate((await r.json()) as Body),
  });
  vi.stubGlobal('fetch', fake.fn);
  return fake;
}

describe('PostFormPage', () => {
  it('validates live and shows the X length problem next to the X variant', async () => {
    backend(() => json({}, 500));
    renderWithProviders(<PostFormPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: /^X · @PTPSW_BPPT/ }));
    const text = await screen.findByLabelText('Teks untuk X @PTPSW_BPPT');
    await user.click(text);
    await user.paste('a'.repeat(291));
    const problems = await screen.findByTestId('problems-x', {}, { timeout: 3000 });
    expect(problems).toHaveTextContent('X: 291/280 karakter berbobot — terlalu panjang');
    expect(screen.getByTestId('counter-x')).toHaveTextContent('X: 291/280');
    await user.clear(text);
    await user.paste('Inovasi untuk daerah');
    await waitFor(() => expect(screen.queryByTestId('problems-x')).not.toBeInTheDocument(), { timeout: 3000 });
    expect(screen.getByTestId('counter-x')).toHaveTextContent('X: 20/280');
  });

  it('shows the problems of a 422 on save and sends the planned time in UTC', async () => {
    const sent: Body[] = [];
    backend((body) => {
      sent.push(body);
      return json(
        {
          error: 'variant_invalid',
          detail: "Some variants break their platform's rules",
          fields: { 'variants.1.media': 'Instagram: a post needs an image or a video' },
          problems: [
            {
              field: 'variants.1.media',
              variant_index: 1,
              account_id: 2,
              platform: 'instagram',
              rule: 'instagram.media.required',
              message: 'Instagram: a post needs an image or a video',
              params: { count: 0, min: 1 },
            },
          ],
        },
        422,
      );
    });
    renderWithProviders(<PostFormPage />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^Judul/), 'Pameran inovasi');
    await user.type(screen.getByLabelText(/Rencana terbit/), '2026-03-12T09:30');
    await user.click(await screen.findByRole('checkbox', { name: /^X · / }));
    await user.click(screen.getByRole('checkbox', { name: /^Instagram · / }));
    await user.type(screen.getByLabelText('Teks untuk X @PTPSW_BPPT'), 'Halo');
    await user.type(screen.getByLabelText('Teks untuk Instagram @PTPSW_BPPT'), 'Halo IG');
    await user.click(screen.getByRole('button', { name: 'Simpan' }));
    const problems = await screen.findByTestId('problems-instagram');
    expect(problems).toHaveTextContent('Instagram: wajib melampirkan gambar atau video');
    expect(within(screen.getByTestId('save-error')).getByText('Posting belum dapat disimpan.')).toBeInTheDocument();
    expect(navigate).not.toHaveBeenCalled();
    expect(sent[0].planned_at).toBe('2026-03-12T02:30:00.000Z');
    expect(sent[0].variants.map((v) => v.account_id)).toEqual([1, 2]);
  });

  it('asks for a title and an account before saving', async () => {
    const fake = backend(() => json({}, 500));
    renderWithProviders(<PostFormPage />);
    await screen.findByRole('checkbox', { name: /^X · / });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Simpan' }));
    expect(screen.getByText('Judul wajib diisi')).toBeInTheDocument();
    expect(screen.getByText('Pilih minimal satu akun.')).toBeInTheDocument();
    expect(fake.calls.some((r) => r.method === 'POST' && new URL(r.url).pathname === '/api/v1/posts')).toBe(false);
  });
});
