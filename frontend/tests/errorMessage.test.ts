import { describe, expect, it } from 'vitest';
import i18n from '../src/i18n';
import { ApiError } from '../src/api/errors';
import { errorMessage, fieldMessage, fieldMessages, ruleMessage } from '../src/lib/errorMessage';
import openapi from '../src/api/openapi.json';
import en from '../src/i18n/en.json';
import id from '../src/i18n/id.json';

const t = i18n.t.bind(i18n);

describe('errorMessage', () => {
  it('speaks Indonesian for a known error code instead of the server English', () => {
    const error = new ApiError(413, {
      error: 'payload_too_large',
      detail: 'The request body is larger than this address accepts (512 MB).',
    });
    expect(errorMessage(t, error)).toBe(id.errors.codes.payload_too_large);
  });

  it('falls back to the status, then to the detail', () => {
    expect(errorMessage(t, new ApiError(404, { error: 'post_not_found', detail: 'x' }))).toBe(
      id.errors.notFound,
    );
    expect(errorMessage(t, new ApiError(400, { error: 'odd', detail: 'Odd thing' }))).toContain('Odd thing');
  });

  it('has every code in both languages', () => {
    expect(Object.keys(en.errors.codes).sort()).toEqual(Object.keys(id.errors.codes).sort());
  });

  it('translates a field from its rule code with the limit, not the server English', () => {
    const error = new ApiError(422, {
      error: 'validation_error',
      detail: 'title: String should have at most 200 characters',
      fields: { title: 'String should have at most 200 characters' },
      rules: { title: 'string_too_long' },
      limits: { title: { max_length: 200 } },
    });
    expect(fieldMessage(t, error, 'title')).toBe('Terlalu panjang: maksimal 200 karakter.');
    expect(errorMessage(t, error)).toBe('Periksa isian: Terlalu panjang: maksimal 200 karakter.');
    expect(errorMessage(t, error)).not.toContain('String should');
  });

  it('formats limits the Indonesian way and names a size in MB', () => {
    expect(ruleMessage(t, 'less_than_equal', { le: 1500000 })).toBe('Maksimal 1.500.000.');
    expect(ruleMessage(t, 'payload_too_large', { max_bytes: 512 * 1024 * 1024 })).toBe(
      'Terlalu besar: maksimal 512 MB.',
    );
  });

  it('gives a generic translated message for a field without a known rule', () => {
    const error = new ApiError(422, {
      error: 'validation_error',
      detail: 'x',
      fields: { a: 'List should have at least 1 item after validation, not 0', b: 'odd' },
      rules: { a: 'too_short', b: 'no_such_rule' },
      limits: { a: { min_length: 1 } },
    });
    expect(fieldMessages(t, error)).toEqual({ a: 'Pilih minimal 1.', b: id.fieldRules.invalid });
  });

  it('has both texts for every rule code the server can send (from the API document)', () => {
    const codes = (openapi as { components: { schemas: { FieldRule: { enum: string[] } } } }).components.schemas
      .FieldRule.enum;
    expect(codes.length).toBeGreaterThan(40);
    const missing = codes.filter(
      (c) => !(c in id.fieldRules) || !(c in en.fieldRules),
    );
    expect(missing).toEqual([]);
    expect(Object.keys(en.fieldRules).sort()).toEqual(Object.keys(id.fieldRules).sort());
  });
});
