import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import id from './id.json';
import en from './en.json';

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_KEY = 'gaung.lang';

export function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(LANGUAGE_KEY);
    return value === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

export function setLanguage(lang: Language): Promise<unknown> {
  try {
    localStorage.setItem(LANGUAGE_KEY, lang);
  } catch {
    // storage may be unavailable (private mode); the switch still applies now
  }
  document.documentElement.lang = lang;
  return i18n.changeLanguage(lang);
}

export function initI18n(lang: Language = storedLanguage()) {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources: { id: { translation: id }, en: { translation: en } },
      lng: lang,
      fallbackLng: 'id',
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  } else if (i18n.language !== lang) {
    void i18n.changeLanguage(lang);
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  return i18n;
}

export default i18n;
