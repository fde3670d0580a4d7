import { describe, expect, it } from 'vitest';
import i18n from '../src/i18n';
import { ApiError } from '../src/api/errors';
import { errorMessage } from '../src/lib/errorMessage';
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
});
