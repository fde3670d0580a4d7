import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useTranslation } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import i18n, { LANGUAGE_KEY, initI18n, storedLanguage } from '../src/i18n';
import { LanguageSwitch } from '../src/features/shell/LanguageSwitch';
import { renderWithProviders } from './render';

function Label() {
  const { t } = useTranslation();
  return <p>{t('nav.posts')}</p>;
}

describe('language switch', () => {
  it('is Indonesian by default, switches to English and remembers it', async () => {
    renderWithProviders(
      <>
        <LanguageSwitch />
        <Label />
      </>,
    );
    expect(screen.getByText('Posting')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByText('EN'));
    expect(await screen.findByText('Posts')).toBeInTheDocument();
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('en');
    expect(storedLanguage()).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('starts in the stored language', () => {
    localStorage.setItem(LANGUAGE_KEY, 'en');
    initI18n(storedLanguage());
    expect(i18n.language).toBe('en');
  });

  it('has the same keys in both languages', async () => {
    const id = (await import('../src/i18n/id.json')).default;
    const en = (await import('../src/i18n/en.json')).default;
    const keys = (obj: object, prefix = ''): string[] =>
      Object.entries(obj).flatMap(([k, v]) =>
        v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(en).sort()).toEqual(keys(id).sort());
  });
});
