import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import i18n from '../src/i18n';
import { fakeFetch, json, renderWithProviders } from './render';

const navigate = vi.fn();
vi.mock('@tanstack/react-router', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@tanstack/react-router')>()),
  useNavigate: () => navigate,
}));

const { NotificationBell, notificationText } = await import('../src/features/notifications/NotificationBell');

const NOTES = [
  {
    id: 2,
    unit_id: 1,
    kind: 'rejected',
    object_type: 'post',
    object_id: '5',
    params: { title: 'Rilis', comment: 'Tambahkan tautan' },
    created_at: '2030-03-02T02:00:00Z',
    read_at: null,
  },
  {
    id: 1,
    unit_id: 1,
    kind: 'approved',
    object_type: 'post',
    object_id: '4',
    params: { title: 'Lama' },
    created_at: '2030-03-01T02:00:00Z',
    read_at: '2030-03-01T03:00:00Z',
  },
];

describe('notificationText', () => {
  it('writes the text from kind and params in the chosen language', async () => {
    const t = i18n.t.bind(i18n);
    expect(notificationText(t, NOTES[0] as never)).toBe('“Rilis” dikembalikan: Tambahkan tautan');
    await i18n.changeLanguage('en');
    expect(notificationText(i18n.t.bind(i18n), NOTES[0] as never)).toBe('“Rilis” was sent back: Tambahkan tautan');
    expect(notificationText(i18n.t.bind(i18n), { kind: 'failed', params: { title: 'A' } } as never)).toBe(
      '“A” could not be published:',
    );
  });
});

describe('NotificationBell', () => {
  it('shows the unread count, lists notifications and opens one', async () => {
    session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
    const fake = fakeFetch({
      'GET /api/v1/notifications/unread-count': () => json({ unread: 1 }),
      'GET /api/v1/notifications': () => json({ items: NOTES, total: 2, limit: 20, offset: 0 }),
      'POST /api/v1/notifications/2/read': () => json({ ...NOTES[0], read_at: '2030-03-02T03:00:00Z' }),
    });
    vi.stubGlobal('fetch', fake.fn);
    renderWithProviders(<NotificationBell timeZone="Asia/Jakarta" />);
    const bell = await screen.findByRole('button', { name: 'Notifikasi, 1 belum dibaca' });
    await userEvent.click(bell);
    const first = await screen.findByTestId('notification-2');
    expect(first).toHaveTextContent('“Rilis” dikembalikan: Tambahkan tautan');
    expect(first).toHaveAttribute('data-unread', 'true');
    expect(screen.getByTestId('notification-1')).not.toHaveAttribute('data-unread');
    await userEvent.click(first);
    await waitFor(() => expect(fake.calls.some((c) => c.url.endsWith('/notifications/2/read'))).toBe(true));
    expect(navigate).toHaveBeenCalledWith({ to: '/posts/$postId', params: { postId: '5' } });
  });

  it('marks all as read', async () => {
    session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
    const fake = fakeFetch({
      'GET /api/v1/notifications/unread-count': () => json({ unread: 3 }),
      'GET /api/v1/notifications': () => json({ items: [], total: 0, limit: 20, offset: 0 }),
      'POST /api/v1/notifications/read-all': () => json({ marked: 3 }),
    });
    vi.stubGlobal('fetch', fake.fn);
    renderWithProviders(<NotificationBell timeZone="Asia/Jakarta" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Notifikasi, 3 belum dibaca' }));
    expect(await screen.findByText('Belum ada notifikasi.')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('notifications-read-all'));
    await waitFor(() => expect(fake.calls.some((c) => c.url.endsWith('/notifications/read-all'))).toBe(true));
  });
});
