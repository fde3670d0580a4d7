import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AccountHealthDetails, HealthBadge } from '../src/features/accounts/AccountHealth';
import { healthOf, rateLimited, tokenState } from '../src/features/accounts/health';
import { account } from './accountsFixtures';
import { renderWithProviders } from './render';

const NOW = new Date('2026-11-29T03:00:00Z');

function renderHealth(a: ReturnType<typeof account>) {
  return renderWithProviders(
    <>
      <HealthBadge account={a} />
      <AccountHealthDetails account={a} timeZone="Asia/Jakarta" now={NOW} />
    </>,
  );
}

describe('account health', () => {
  it('puts the most urgent state first', () => {
    expect(healthOf(account())).toBe('connected');
    expect(healthOf(account({ connected: false }))).toBe('not_connected');
    expect(healthOf(account({ sandbox: true }))).toBe('simulated');
    expect(healthOf(account({ sandbox: true, status: 'disabled' }))).toBe('disabled');
    expect(healthOf(account({ status: 'needs_reauth', connected: true }))).toBe('needs_reauth');
  });

  it('shows a connected account with its token expiry, absolute in the unit zone and relative', () => {
    renderHealth(account({ token_expires_at: '2026-12-02T03:00:00Z' }));
    const badge = screen.getByTestId('health-badge');
    expect(badge).toHaveTextContent('Terhubung');
    expect(badge).toHaveAttribute('data-health', 'connected');
    const expiry = screen.getByTestId('token-expiry');
    expect(expiry).toHaveTextContent('Token berlaku sampai');
    expect(expiry).toHaveTextContent(/2 Des 2026/);
    expect(expiry).toHaveTextContent(/10[.:]00 WIB/);
    expect(expiry).toHaveTextContent('dalam 3 hari');
  });

  it('says when a token has expired, and that Page tokens do not expire', () => {
    const expired = account({ token_expires_at: '2026-11-29T01:00:00Z' });
    expect(tokenState(expired, NOW)).toBe('expired');
    const { unmount } = renderHealth(expired);
    expect(screen.getByTestId('token-expiry')).toHaveTextContent(/Token kedaluwarsa sejak .*2 jam yang lalu/);
    unmount();
    renderHealth(account({ platform: 'facebook', token_expires_at: null }));
    expect(screen.getByTestId('token-expiry')).toHaveTextContent('Token tidak kedaluwarsa');
  });

  it('marks a sandbox account as simulated and shows no token', () => {
    renderHealth(account({ sandbox: true, connected: true, token_expires_at: '2026-12-02T03:00:00Z' }));
    expect(screen.getByTestId('health-badge')).toHaveTextContent('Simulasi');
    expect(screen.getByTestId('simulated-note')).toHaveTextContent(/jaringan tiruan/);
    expect(screen.queryByTestId('token-expiry')).not.toBeInTheDocument();
  });

  it('shows needs re-authorisation with the last error and when it happened', () => {
    renderHealth(
      account({
        status: 'needs_reauth',
        last_error: 'Token akses dicabut oleh pemilik akun.',
        last_error_at: '2026-11-28T23:15:00Z',
      }),
    );
    expect(screen.getByTestId('health-badge')).toHaveTextContent('Perlu otorisasi ulang');
    const error = screen.getByTestId('last-error');
    expect(error).toHaveTextContent('Kesalahan terakhir: Token akses dicabut oleh pemilik akun.');
    expect(error).toHaveTextContent(/29 Nov 2026.*06[.:]15 WIB/);
  });

  it('shows a disabled account as disabled', () => {
    renderHealth(account({ status: 'disabled', connected: false }));
    expect(screen.getByTestId('health-badge')).toHaveTextContent('Nonaktif');
  });

  it('shows the rate-limit state: remaining of the limit, reset time and Meta usage', () => {
    renderHealth(
      account({
        platform: 'facebook',
        rate_limit: { limit: 300, remaining: 120, resets_at: '2026-11-29T03:15:00Z', usage_pct: 42, observed_at: '2026-11-29T02:58:00Z' },
      }),
    );
    const line = screen.getByTestId('rate-limit');
    expect(line).toHaveAttribute('data-limited', 'false');
    expect(line).toHaveTextContent(/Batas panggilan API: sisa 120 dari 300 · pulih 29 Nov 2026.*10[.:]15 WIB/);
    expect(within(line).getByText('Pemakaian Meta 42%')).toBeInTheDocument();
    expect(screen.getByText(/Diperbarui 2 menit yang lalu/)).toBeInTheDocument();
  });

  it('says Gaung waits while nothing is left before the reset, and not after it', () => {
    const exhausted = { limit: 300, remaining: 0, resets_at: '2026-11-29T03:15:00Z', usage_pct: null, observed_at: '2026-11-29T02:58:00Z' };
    expect(rateLimited(exhausted, NOW)).toBe(true);
    expect(rateLimited(exhausted, new Date('2026-11-29T03:16:00Z'))).toBe(false);
    expect(rateLimited({ ...exhausted, remaining: null, usage_pct: 100 }, NOW)).toBe(true);
    expect(rateLimited(null, NOW)).toBe(false);
    renderHealth(account({ rate_limit: exhausted }));
    expect(screen.getByTestId('rate-limit')).toHaveAttribute('data-limited', 'true');
    expect(screen.getByTestId('rate-limit')).toHaveTextContent('Batas panggilan API habis, Gaung menunggu');
  });
});
