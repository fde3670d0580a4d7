import type { TFunction } from 'i18next';
import i18n from '../i18n';
import { isApiError } from '../api/errors';

/** A message for people: by the error's stable code where we have one, by status otherwise. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    const byCode = `errors.codes.${error.code}`;
    if (i18n.exists(byCode)) return t(byCode);
    if (error.status === 403) return t('errors.forbidden');
    if (error.status === 404) return t('errors.notFound');
    if (error.status === 409) return t('errors.conflict');
    if (error.status === 429) return t('errors.tooMany');
    return t('errors.generic', { detail: error.message });
  }
  if (error instanceof TypeError) return t('errors.network');
  return t('errors.generic', { detail: error instanceof Error ? error.message : String(error) });
}
