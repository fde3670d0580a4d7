import { describe, expect, it } from 'vitest';
import { emptyValues } from '../../src/features/composer/model';
import type { Template } from '../../src/features/composer/queries';
import { fromTemplate, nextSlot } from '../../src/features/composer/template';

const template: Template = {
  id: 3,
  unit_id: 1,
  name: 'Ucapan',
  kind: 'greeting',
  title: 'Ucapan Hari Kemerdekaan',
  base_text: 'Dirgahayu Republik Indonesia!',
  texts: { x: 'Dirgahayu RI!', facebook: 'Dirgahayu Republik Indonesia!' },
  category: 'Ucapan',
  hashtags: ['HUTRI', '#Merdeka'],
  created_at: '',
  updated_at: '',
};

describe('starting from a template on a day', () => {
  it('fills the title, base text, per-platform texts that differ, category and hashtags', () => {
    const v = fromTemplate(emptyValues(1), template, '2030-08-17', '09:00', 'Asia/Jakarta');
    expect(v.title).toBe('Ucapan Hari Kemerdekaan');
    expect(v.baseText).toBe('Dirgahayu Republik Indonesia!');
    expect(v.overrides.x.text).toBe('Dirgahayu RI!');
    expect(v.overrides.facebook.text).toBeNull();
    expect(v.baseHashtags).toEqual(['#HUTRI', '#Merdeka']);
    expect(v.plannedAt).toBe('2030-08-17T02:00:00.000Z');
  });

  it('without a template or day the form stays empty', () => {
    expect(fromTemplate(emptyValues(1), undefined, undefined, '09:00', 'Asia/Jakarta')).toEqual(emptyValues(1));
  });

  it('suggests the slot today, or tomorrow once it has passed, in the unit zone', () => {
    const morning = new Date('2030-03-01T00:30:00Z'); // 07:30 WIB
    expect(nextSlot('09:00', null, 'Asia/Jakarta', morning)).toBe('2030-03-01T02:00:00.000Z');
    const evening = new Date('2030-03-01T13:00:00Z'); // 20:00 WIB
    expect(nextSlot('09:00', null, 'Asia/Jakarta', evening)).toBe('2030-03-02T02:00:00.000Z');
    expect(nextSlot('19:00', '2030-03-05', 'Asia/Makassar', evening)).toBe('2030-03-05T11:00:00.000Z');
  });
});
