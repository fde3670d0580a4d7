import { describe, expect, it } from 'vitest';
import {
  kipClock,
  laporProblem,
  laporStatusOptions,
  reasonProblem,
  requestKindFor,
  showSuggestion,
} from '../src/features/inbox/cases';

const request = {
  request_kind: 'information' as const,
  kip_due_at: '2026-04-06T16:59:59Z',
  kip_working_days_left: 8,
  kip_extended: false,
  can_manage: true,
};

describe('the suggested kind', () => {
  it('is offered only while the conversation is unmarked', () => {
    expect(showSuggestion({ suggested_kind: 'complaint', request_kind: 'none' })).toBe(true);
    expect(showSuggestion({ suggested_kind: 'complaint', request_kind: 'complaint' })).toBe(false);
    expect(showSuggestion({ suggested_kind: null, request_kind: 'none' })).toBe(false);
  });

  it('leads to the matching mark', () => {
    expect(requestKindFor('information_request')).toBe('information');
    expect(requestKindFor('complaint')).toBe('complaint');
  });
});

describe('the UU KIP clock', () => {
  it('is calm, then warns, then shows overdue', () => {
    expect(kipClock(request)).toEqual({ daysLeft: 8, tone: 'ok', canExtend: true });
    expect(kipClock({ ...request, kip_working_days_left: 3 })?.tone).toBe('soon');
    expect(kipClock({ ...request, kip_working_days_left: 0 })?.tone).toBe('soon');
    expect(kipClock({ ...request, kip_working_days_left: -2 })?.tone).toBe('overdue');
  });

  it('is extended once, by those who manage the inbox', () => {
    expect(kipClock({ ...request, kip_extended: true })?.canExtend).toBe(false);
    expect(kipClock({ ...request, can_manage: false })?.canExtend).toBe(false);
  });

  it('runs for public-information requests only', () => {
    expect(kipClock({ ...request, request_kind: 'complaint' })).toBeNull();
    expect(kipClock({ ...request, kip_due_at: null })).toBeNull();
  });
});

describe('the written reason of an extension', () => {
  it('must say something real', () => {
    expect(reasonProblem('   ')).toBe('required');
    expect(reasonProblem('data blm')).toBe('tooShort');
    expect(reasonProblem('Data dihimpun dari tiga balai.')).toBeNull();
    expect(reasonProblem('x'.repeat(2001))).toBe('tooLong');
  });
});

describe('the SP4N-LAPOR! reference', () => {
  it('needs a reference and a status', () => {
    expect(laporProblem(' ', 'Diproses')).toBe('referenceRequired');
    expect(laporProblem('LAPOR-1', null)).toBe('statusRequired');
    expect(laporProblem('LAPOR-1', 'Diproses')).toBeNull();
  });

  it('keeps a status LAPOR does not list among the options', () => {
    expect(laporStatusOptions('Diproses')).toHaveLength(5);
    expect(laporStatusOptions('Ditunda').at(-1)).toBe('Ditunda');
  });
});
