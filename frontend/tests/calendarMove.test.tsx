import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import { MoveDialog } from '../src/features/calendar/MoveDialog';
import i18n from '../src/i18n';
import { entry } from './calendarFixtures';
import { fakeFetch, renderWithProviders } from './render';

// 15 January 2030 09.30 WIB: still to come whatever the clock says.
const ENTRY = entry({ variant_id: 1, post_id: 10, title: 'Rapat', at: '2030-01-15T02:30:00Z' });

function setup() {
  // No analytics here (404): the unit's default slots are offered.
  vi.stubGlobal('fetch', fakeFetch({}).fn);
  const onMove = vi.fn();
  renderWithProviders(
    <MoveDialog entry={ENTRY} timeZone="Asia/Jakarta" defaultSlots={['09:00', '19:00']} onClose={() => undefined} onMove={onMove} />,
  );
  return onMove;
}

describe('MoveDialog', { timeout: 20_000 }, () => {
  beforeEach(async () => {
    session.store({ access_token: 'a', token_type: 'bearer', expires_in: 900 } as never);
    await i18n.changeLanguage('id');
  });

  it('moves the entry to the chosen time in the unit zone', async () => {
    const onMove = setup();
    expect(await screen.findByText('Pindahkan posting')).toBeInTheDocument();
    expect(screen.getByText(/^Sekarang: 15 Jan 2030,? 09\.30 WIB$/)).toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: '19.00' }));
    await userEvent.click(screen.getByTestId('move-confirm'));
    expect(onMove).toHaveBeenCalledWith(ENTRY, '2030-01-15T12:00:00.000Z');
  });

  it('says what is wrong instead of sending the same time', async () => {
    const onMove = setup();
    await userEvent.click(await screen.findByTestId('move-confirm'));
    expect(await screen.findByText('Itu waktu yang sama. Pilih waktu lain.')).toBeInTheDocument();
    expect(onMove).not.toHaveBeenCalled();
  });
});
