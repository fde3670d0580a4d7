import { describe, expect, it } from 'vitest';
import { clearDraft, differs, draftKey, loadDismissed, loadDraft, saveDismissed, saveDraft } from '../../src/features/composer/draft';
import { emptyValues } from '../../src/features/composer/model';

function memory() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    data,
  };
}

describe('draft persistence', () => {
  it('keeps a draft per post and gives it back', () => {
    const s = memory();
    const values = { ...emptyValues(1), title: 'Belum disimpan' };
    saveDraft(12, { values, savedAt: 5, base: '2026-01-01T00:00:00Z' }, s);
    saveDraft(null, { values: emptyValues(1), savedAt: 6, base: null }, s);
    expect(loadDraft(12, s)?.values.title).toBe('Belum disimpan');
    expect(loadDraft(12, s)?.base).toBe('2026-01-01T00:00:00Z');
    expect(loadDraft(null, s)?.savedAt).toBe(6);
    expect([...s.data.keys()].sort()).toEqual([draftKey(12), draftKey(null)].sort());
    clearDraft(12, s);
    expect(loadDraft(12, s)).toBeNull();
    expect(loadDraft(null, s)).not.toBeNull();
  });

  it('ignores broken or foreign entries', () => {
    const s = memory();
    s.setItem(draftKey(3), '{not json');
    expect(loadDraft(3, s)).toBeNull();
    s.setItem(draftKey(3), JSON.stringify({ hello: 1 }));
    expect(loadDraft(3, s)).toBeNull();
  });

  it('survives a storage that refuses writes', () => {
    const refusing = { getItem: () => null, setItem: () => { throw new Error('full'); }, removeItem: () => undefined };
    expect(() => saveDraft(1, { values: emptyValues(1), savedAt: 1, base: null }, refusing)).not.toThrow();
  });

  it('remembers dismissed findings per post', () => {
    const s = memory();
    saveDismissed(4, ['x:rule:kata'], s);
    expect(loadDismissed(4, s)).toEqual(['x:rule:kata']);
    expect(loadDismissed(5, s)).toEqual([]);
  });

  it('tells a changed form from an unchanged one', () => {
    const a = emptyValues(1);
    expect(differs(a, emptyValues(1))).toBe(false);
    expect(differs(a, { ...a, baseText: 'x' })).toBe(true);
  });
});
