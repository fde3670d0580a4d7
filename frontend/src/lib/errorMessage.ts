import type { TFunction } from 'i18next';
import i18n from '../i18n';
import { isApiError, type ApiError } from '../api/errors';

type Limits = Record<string, number | string>;

/** One field's message, in the reader's language, from the rule code the server names. */
export function ruleMessage(t: TFunction, rule: string | undefined, limits: Limits = {}): string {
  const key = `fieldRules.${rule ?? 'invalid'}`;
  const format = new Intl.NumberFormat(i18n.language === 'en' ? 'en' : 'id-ID');
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(limits)) {
    values[name] = typeof value === 'number' ? format.format(value) : value;
  }
  if (typeof limits.max_bytes === 'number') {
    values.max_mb = format.format(Math.round((limits.max_bytes / (1024 * 1024)) * 10) / 10);
  }
  return i18n.exists(key) ? t(key, values) : t('fieldRules.invalid');
}

/** Every field of an error, translated from its rule (never the server's English). */
export function fieldMessages(t: TFunction, error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const field of new Set([...Object.keys(error.fields), ...Object.keys(error.rules)])) {
    out[field] = ruleMessage(t, error.rules[field], error.limits[field]);
  }
  return out;
}

/** The translated message for one field, if the error names it. */
export function fieldMessage(t: TFunction, error: unknown, field: string): string | undefined {
  return fieldMessages(t, error)[field];
}

function firstField(t: TFunction, error: ApiError): string | undefined {
  const [first] = Object.values(fieldMessages(t, error));
  return first === undefined ? undefined : t('fieldRules._summary', { message: first });
}

/** A message for people: by the error's stable code where we have one, by status otherwise. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    const byCode = `errors.codes.${error.code}`;
    if (i18n.exists(byCode)) return t(byCode);
    const byField = firstField(t, error);
    if (byField) return byField;
    if (error.status === 403) return t('errors.forbidden');
    if (error.status === 404) return t('errors.notFound');
    if (error.status === 409) return t('errors.conflict');
    if (error.status === 429) return t('errors.tooMany');
    return t('errors.generic', { detail: error.message });
  }
  if (error instanceof TypeError) return t('errors.network');
  return t('errors.generic', { detail: error instanceof Error ? error.message : String(error) });
}
