import { describe, expect, it } from 'vitest';
import openapi from '../src/api/openapi.json';
import en from '../src/i18n/en.json';
import id from '../src/i18n/id.json';

describe('accounts screen words', () => {
  it('explains every reason a connection can fail, in both languages', () => {
    const codes = (openapi.components.schemas.ConnectErrorCode as { enum: string[] }).enum;
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      expect((id.accounts.connectErrors as Record<string, string>)[code], code).toBeTruthy();
      expect((en.accounts.connectErrors as Record<string, string>)[code], code).toBeTruthy();
    }
  });

  it('handles exactly the connection statuses the API has', () => {
    const statuses = (openapi.components.schemas.ConnectionStatus as { enum: string[] }).enum;
    expect([...statuses].sort()).toEqual(['choose', 'done', 'failed', 'pending']);
  });
});
