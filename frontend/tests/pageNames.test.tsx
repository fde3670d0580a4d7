import { Pagination } from '@mantine/core';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '../src/i18n';
import { pageNames } from '../src/components/pageNames';
import { renderWithProviders } from './render';

describe('pageNames', () => {
  it('names the arrows and the pages of a pagination', () => {
    const t = i18n.t.bind(i18n);
    renderWithProviders(<Pagination total={3} value={2} onChange={() => undefined} withEdges {...pageNames(t)} />);
    for (const name of ['Halaman pertama', 'Halaman sebelumnya', 'Halaman berikutnya', 'Halaman terakhir', 'Halaman 3']) {
      expect(screen.getByRole('button', { name })).toBeInTheDocument();
    }
  });
});
