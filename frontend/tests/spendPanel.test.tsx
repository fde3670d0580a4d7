import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import { capShare, SpendPanel } from '../src/features/accounts/SpendPanel';
import type { XSpend } from '../src/features/accounts/types';
import { spend } from './accountsFixtures';
import { fakeFetch, json, renderWithProviders } from './render';

function backend(initial: XSpend) {
  session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
  let current = initial;
  const puts: unknown[] = [];
  const fake = fakeFetch({
    'GET /api/v1/units/1/x-spend': () => json(current),
    'PUT /api/v1/units/1/x-spend-cap': async (r) => {
      const body = (await r.json()) as { cap_usd: number | null };
      puts.push(body);
      current = { ...current, cap_usd: body.cap_usd };
      return json(current);
    },
  });
  vi.stubGlobal('fetch', fake.fn);
  return { fake, puts };
}

describe('X spend panel', () => {
  it("shows this month's estimate, the cap and the spend by class", async () => {
    backend(spend());
    renderWithProviders(<SpendPanel unitId={1} canEditCap={false} />);
    expect(await screen.findByTestId('spend-total')).toHaveTextContent(/US\$\s?12,50/);
    expect(screen.getByTestId('spend-cap')).toHaveTextContent(/dari batas US\$\s?50,00/);
    expect(screen.getByText(/November 2026/)).toBeInTheDocument();
    const rows = within(screen.getByTestId('spend-classes')).getAllByRole('row');
    expect(rows[1]).toHaveTextContent(/Membuat posting100US\$\s?1,50/);
    expect(rows[2]).toHaveTextContent(/Membuat posting dengan tautan55US\$\s?11,00/);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
    expect(screen.queryByTestId('spend-reads-paused')).not.toBeInTheDocument();
    expect(screen.queryByTestId('spend-publishing-paused')).not.toBeInTheDocument();
    // Only admins edit the cap.
    expect(screen.queryByTestId('spend-cap-editor')).not.toBeInTheDocument();
  });

  it('says when optional reads are paused near the cap', async () => {
    backend(spend({ estimated_usd: 41, reads_paused: true }));
    renderWithProviders(<SpendPanel unitId={1} canEditCap={false} />);
    expect(await screen.findByTestId('spend-reads-paused')).toHaveTextContent(/pembacaan opsional .* dijeda/);
    expect(screen.queryByTestId('spend-publishing-paused')).not.toBeInTheDocument();
  });

  it('says when publishing is paused at the cap', async () => {
    backend(spend({ estimated_usd: 50.2, reads_paused: true, publishing_paused: true }));
    renderWithProviders(<SpendPanel unitId={1} canEditCap={false} />);
    expect(await screen.findByTestId('spend-publishing-paused')).toHaveTextContent('publikasi ke X dijeda');
    expect(screen.getByTestId('spend-reads-paused')).toHaveTextContent('Pembacaan opsional juga dijeda.');
  });

  it('shows no cap and an unknown price class by its name', async () => {
    backend(spend({ cap_usd: null, by_class: [{ price_class: 'dm_read', calls: 3, estimated_usd: 0.03 }] }));
    renderWithProviders(<SpendPanel unitId={1} canEditCap={false} />);
    expect(await screen.findByTestId('spend-cap')).toHaveTextContent('tanpa batas');
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getByTestId('spend-classes')).toHaveTextContent('dm_read');
  });

  it('lets an admin set and remove the cap', async () => {
    const { puts } = backend(spend({ cap_usd: null }));
    renderWithProviders(<SpendPanel unitId={1} canEditCap />);
    const input = await screen.findByLabelText(/Batas bulanan/);
    const user = userEvent.setup();
    await user.type(input, '75.5');
    await user.click(screen.getByTestId('spend-cap-save'));
    await waitFor(() => expect(screen.getByTestId('spend-cap')).toHaveTextContent(/dari batas US\$\s?75,50/));
    await user.click(screen.getByTestId('spend-cap-clear'));
    await waitFor(() => expect(screen.getByTestId('spend-cap')).toHaveTextContent('tanpa batas'));
    expect(puts).toEqual([{ cap_usd: 75.5 }, { cap_usd: null }]);
  });

  it('computes the share of the cap', () => {
    expect(capShare({ estimated_usd: 10, cap_usd: 40 })).toBe(25);
    expect(capShare({ estimated_usd: 90, cap_usd: 40 })).toBe(100);
    expect(capShare({ estimated_usd: 0, cap_usd: 0 })).toBe(100);
    expect(capShare({ estimated_usd: 5, cap_usd: null })).toBeNull();
  });
});
