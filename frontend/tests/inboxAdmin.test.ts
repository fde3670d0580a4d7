import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import id from '../src/i18n/id.json';
import { canConfigureInbox } from '../src/features/inbox/settings/access';
import { formatWeights, keywordsToText, parseKeywords } from '../src/features/inbox/settings/keywords';
import { privacyDeadline, privacyState } from '../src/features/inbox/settings/privacy';
import { filterSaved } from '../src/features/inbox/settings/saved';

describe('keyword weights', () => {
  it('shows the heaviest first, in the Indonesian number format', () => {
    expect(formatWeights({ genangan: 0.6, banjir: 1, rob: 1 }, 'id')).toBe('banjir 1,0 · rob 1,0 · genangan 0,6');
    expect(formatWeights({ genangan: 0.6, banjir: 1 }, 'en')).toBe('banjir 1.0 · genangan 0.6');
  });

  it('reads back what it writes, a comma or a point before the decimals, 1 when no weight', () => {
    const text = keywordsToText({ banjir: 2, 'tanah longsor': 0.5 }, 'id');
    expect(text).toBe('banjir 2\ntanah longsor 0,5');
    expect(parseKeywords(`${text}\n  Genangan   0.6 \n\nROB`)).toEqual({
      ok: true,
      keywords: { banjir: 2, 'tanah longsor': 0.5, genangan: 0.6, rob: 1 },
    });
  });

  it('names the line of each problem', () => {
    const parsed = parseKeywords(`banjir 0\nbanjir 1\nBanjir 2\n${'k'.repeat(61)}\nrob 7`);
    expect(parsed).toEqual({
      ok: false,
      problems: [
        { line: 1, kind: 'weight', word: 'banjir' },
        { line: 3, kind: 'duplicate', word: 'banjir' },
        { line: 4, kind: 'tooLong', word: 'k'.repeat(61) },
        { line: 5, kind: 'weight', word: 'rob' },
      ],
    });
    expect(parseKeywords(' \n ')).toEqual({ ok: false, problems: [{ line: 0, kind: 'empty', word: '' }] });
    const many = Array.from({ length: 101 }, (_, i) => `kata${i}`).join('\n');
    expect(parseKeywords(many)).toEqual({ ok: false, problems: [{ line: 0, kind: 'tooMany', word: '' }] });
  });
});

describe('saved answers search', () => {
  const items = [
    { id: 1, topic_id: 3, title: 'Formasi CPNS', text: 'Lihat sscasn.bkn.go.id' },
    { id: 2, topic_id: null, title: 'Terima kasih', text: 'Terima kasih atas pertanyaannya.' },
    { id: 3, topic_id: 4, title: 'Banjir', text: 'Peta rawan banjir ada di portal.' },
  ];

  it('matches every word in the title or text, any case, and the topic (null: general)', () => {
    expect(filterSaved(items, 'cpns SSCASN', undefined).map((s) => s.id)).toEqual([1]);
    expect(filterSaved(items, 'peta', undefined).map((s) => s.id)).toEqual([3]);
    expect(filterSaved(items, '', null).map((s) => s.id)).toEqual([2]);
    expect(filterSaved(items, 'terima', 3)).toEqual([]);
  });
});

describe('privacy requests', () => {
  it('are due 3×24 hours after the request', () => {
    expect(privacyDeadline('2026-11-30T01:00:00Z').toISOString()).toBe('2026-12-03T01:00:00.000Z');
  });

  it('are done in time, late, open or overdue', () => {
    const asked = '2026-11-30T01:00:00Z';
    const now = new Date('2026-12-01T00:00:00Z');
    expect(privacyState(asked, '2026-11-30T01:00:05Z', now)).toBe('done');
    expect(privacyState(asked, '2026-12-03T01:00:01Z', now)).toBe('late');
    expect(privacyState(asked, null, now)).toBe('open');
    expect(privacyState(asked, null, new Date('2026-12-03T02:00:00Z'))).toBe('overdue');
  });
});

describe('who configures the inbox', () => {
  it('managers and unit admins, no one else', () => {
    expect(canConfigureInbox((p) => p === 'manage_posts')).toBe(true);
    expect(canConfigureInbox((p) => p === 'manage_unit')).toBe(true);
    expect(canConfigureInbox((p) => p === 'read' || p === 'write_posts')).toBe(false);
  });
});

describe('inboxAdmin strings', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
  const base = (k: string) => k.replace(/_(one|other)$/u, '');

  it('exist in both languages', () => {
    expect(new Set(keys(id.inboxAdmin).map(base))).toEqual(new Set(keys(en.inboxAdmin).map(base)));
  });
});
