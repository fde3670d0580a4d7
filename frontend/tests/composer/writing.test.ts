import { describe, expect, it } from 'vitest';
import { applyFinding, utf16Index } from '../../src/features/composer/WritingFindings';

describe('applying a writing suggestion', () => {
  it('converts the API code-point offsets to JavaScript string indices', () => {
    const text = '🎉 dalam rangka acara';
    expect(utf16Index(text, 2)).toBe(3);
    expect(text.slice(utf16Index(text, 2), utf16Index(text, 14))).toBe('dalam rangka');
  });

  it('replaces the span in one step, after an emoji too', () => {
    const text = '🎉 Kegiatan ini dalam rangka memperingati Hari Air.';
    const start = Array.from('🎉 Kegiatan ini ').length;
    const f = { start, end: start + 'dalam rangka'.length, excerpt: 'dalam rangka', replacement: 'untuk' };
    expect(applyFinding(text, f)).toBe('🎉 Kegiatan ini untuk memperingati Hari Air.');
  });

  it('removes a phrase without leaving a double space', () => {
    const text = 'Kami melakukan sosialisasi adalah merupakan kewajiban.';
    const start = text.indexOf('merupakan');
    expect(applyFinding(text, { start, end: start + 9, excerpt: 'merupakan', replacement: '' })).toBe(
      'Kami melakukan sosialisasi adalah kewajiban.',
    );
  });

  it('refuses when the text moved on since the check', () => {
    expect(applyFinding('Teks lain sama sekali', { start: 0, end: 5, excerpt: 'dalam', replacement: 'x' })).toBeNull();
    expect(applyFinding('dalam', { start: 0, end: 5, excerpt: 'dalam', replacement: null })).toBeNull();
  });
});
