import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Account, Problem } from '../src/api/types';
import { LengthCounter, VariantEditor } from '../src/features/posts/VariantEditor';
import { renderWithProviders } from './render';

const account: Account = {
  id: 1,
  unit_id: 1,
  platform: 'x',
  sandbox: true,
  external_id: 'sandbox-x',
  handle: '@PTPSW_BPPT',
  display_name: 'PTPSW BPPT',
  status: 'active',
  token_expires_at: null,
  avatar_url: null,
  connected: true,
  last_error: null,
  last_error_at: null,
  rate_limit: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

const problem: Problem = {
  field: 'variants.0.text',
  variant_index: 0,
  account_id: 1,
  platform: 'x',
  rule: 'x.text.too_long',
  message: 'X: 291/280 weighted characters',
  params: { length: 291, max: 280 },
};

function renderEditor(overrides: Partial<Parameters<typeof VariantEditor>[0]> = {}) {
  const onText = vi.fn();
  renderWithProviders(
    <VariantEditor
      account={account}
      text=""
      mediaIds={[]}
      length={0}
      max={280}
      problems={[]}
      uploading={false}
      uploadError={null}
      onText={onText}
      onUpload={() => undefined}
      onRemoveMedia={() => undefined}
      {...overrides}
    />,
  );
  return { onText };
}

describe('LengthCounter', () => {
  it('shows "X: 291/280" and marks it when over the limit', () => {
    renderWithProviders(<LengthCounter platform="x" length={291} max={280} />);
    const counter = screen.getByTestId('counter-x');
    expect(counter).toHaveTextContent('X: 291/280');
    expect(counter.getAttribute('style') ?? '').toMatch(/red/);
  });

  it('is calm under the limit', () => {
    renderWithProviders(<LengthCounter platform="instagram" length={120} max={2200} />);
    const counter = screen.getByTestId('counter-instagram');
    expect(counter).toHaveTextContent('Instagram: 120/2200');
    expect(counter.getAttribute('style') ?? '').not.toMatch(/red/);
  });
});

describe('VariantEditor', () => {
  it('shows each problem next to its variant, translated', () => {
    renderEditor({ text: 'x'.repeat(291), length: 291, problems: [problem] });
    const list = screen.getByTestId('problems-x');
    expect(list).toHaveTextContent('X: 291/280 karakter berbobot — terlalu panjang');
    expect(screen.getByTestId('counter-x')).toHaveTextContent('X: 291/280');
  });

  it('labels sandbox accounts and reports typing', async () => {
    const { onText } = renderEditor();
    expect(screen.getByText('Sandbox')).toBeInTheDocument();
    await userEvent.setup().type(screen.getByLabelText('Teks untuk X @PTPSW_BPPT'), 'a');
    expect(onText).toHaveBeenCalledWith('a');
  });

  it('shows an upload error', () => {
    renderEditor({ uploadError: 'Unsupported image' });
    expect(screen.getByRole('alert')).toHaveTextContent('Unggahan gagal: Unsupported image');
  });
});
