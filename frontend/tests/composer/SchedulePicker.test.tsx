import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../src/api/session';
import { SchedulePicker } from '../../src/features/composer/SchedulePicker';
import i18n from '../../src/i18n';
import { fakeFetch, json, renderWithProviders } from '../render';

// Thursday 5 December 2030, 09:00 WIB: a day in the future whatever the clock says.
const THURSDAY = '2030-12-05T02:00:00Z';
const grid = (cells: object[]) => ({ range: {}, min_reliable_posts: 5, posts: 40, cells });

function setup(answer: () => Response | Promise<Response>) {
  const fetch = fakeFetch({ 'GET /api/v1/analytics/units/7/best-times': answer });
  vi.stubGlobal('fetch', fetch.fn);
  const onChange = vi.fn();
  renderWithProviders(
    <SchedulePicker label="Terbit" value={THURSDAY} onChange={onChange} timeZone="Asia/Jakarta" slots={['09:00', '19:00']} unitId={7} testId="at" />,
  );
  return onChange;
}

describe('SchedulePicker good hours', { timeout: 20_000 }, () => {
  beforeEach(async () => {
    session.store({ access_token: 'a', token_type: 'bearer', expires_in: 900 } as never);
    await i18n.changeLanguage('id');
  });

  it("suggests the day's best hours from analytics with their sample size, and says so", async () => {
    const onChange = setup(() =>
      json(grid([{ weekday: 3, hour: 19, posts: 14, avg_interactions: 80, avg_engagement_rate: null, reliable: true }])),
    );
    const button = await screen.findByRole('button', { name: 'Kamis 19.00 · 14 posting' });
    expect(screen.getByTestId('at-good-hours')).toHaveAttribute('data-source', 'analytics');
    expect(screen.getByText(/dari riwayat unggahan unit/)).toBeInTheDocument();
    await userEvent.click(button);
    expect(onChange).toHaveBeenCalledWith('2030-12-05T12:00:00.000Z');
  });

  it("falls back to the unit's default slots when the history is thin", async () => {
    setup(() => json(grid([{ weekday: 3, hour: 19, posts: 2, avg_interactions: 80, avg_engagement_rate: null, reliable: false }])));
    await waitFor(() => expect(screen.getByTestId('at-good-hours')).toHaveAttribute('data-source', 'thin'));
    expect(screen.getByText('Riwayat unggahan hari Kamis belum cukup; jam bawaan unit:')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '09.00' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '19.00' })).toBeInTheDocument();
  });

  it('offers nothing while the history loads, so no button changes under a finger', async () => {
    let release: (r: Response) => void = () => undefined;
    setup(() => new Promise<Response>((r) => (release = r)));
    await screen.findByTestId('at');
    expect(screen.queryByTestId('at-good-hours')).toBeNull();
    release(json(grid([])));
    await waitFor(() => expect(screen.getByTestId('at-good-hours')).toHaveAttribute('data-source', 'thin'));
  });
});
