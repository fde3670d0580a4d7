import { describe, expect, it } from 'vitest';
import type { Account, Post } from '../../src/api/types';
import {
  buildCreate,
  buildPatch,
  composeText,
  effective,
  emptyValues,
  move,
  normalizeHashtag,
  selectedPlatforms,
  valuesFromPost,
} from '../../src/features/composer/model';

const account = (id: number, platform: Account['platform']) => ({ id, platform, handle: `@a${id}` }) as Account;
const accounts = [account(1, 'x'), account(2, 'instagram'), account(3, 'facebook'), account(4, 'x')];
const img = (id: number) => ({ id, url: `/m/${id}`, kind: 'image', width: 1080, height: 1080, alt: 'Foto', filename: null });

describe('inheritance', () => {
  it('every platform inherits the base until it overrides a part', () => {
    const v = emptyValues(7);
    v.baseText = 'Teks dasar';
    v.baseMedia = [img(1)];
    v.baseHashtags = ['#Gaung'];
    v.overrides.x.text = 'Teks X';
    v.overrides.instagram.media = [img(2)];
    const x = effective(v, 'x');
    expect([x.text, x.media.map((m) => m.id), x.hashtags, x.own]).toEqual([
      'Teks X',
      [1],
      ['#Gaung'],
      { text: true, media: false, hashtags: false },
    ]);
    const ig = effective(v, 'instagram');
    expect([ig.text, ig.media.map((m) => m.id), ig.own.media]).toEqual(['Teks dasar', [2], true]);
    // Editing the base reaches the platforms that did not override the text.
    v.baseText = 'Baru';
    expect(effective(v, 'facebook').text).toBe('Baru');
    expect(effective(v, 'x').text).toBe('Teks X');
  });

  it('an override of an empty text is an override, not inheritance', () => {
    const v = emptyValues(1);
    v.baseText = 'Dasar';
    v.overrides.facebook.text = '';
    expect(effective(v, 'facebook').text).toBe('');
  });

  it('options stay on their own platform', () => {
    const v = emptyValues(1);
    v.overrides.facebook.link = 'https://a.id';
    v.overrides.instagram.firstComment = '#tagar';
    v.overrides.x.thread = ['dua', ' '];
    expect(effective(v, 'facebook').link).toBe('https://a.id');
    expect(effective(v, 'x').link).toBe('');
    expect(effective(v, 'instagram').firstComment).toBe('#tagar');
    expect(effective(v, 'x').thread).toEqual(['dua']);
  });
});

describe('composeText', () => {
  it('adds the hashtags the text lacks and the Facebook link', () => {
    expect(composeText({ text: 'Halo #Gaung ', hashtags: ['#gaung', '#Daerah'], link: 'https://a.id' })).toBe(
      'Halo #Gaung\n\n#Daerah\n\nhttps://a.id',
    );
    expect(composeText({ text: 'Lihat https://a.id', hashtags: [], link: 'https://a.id' })).toBe('Lihat https://a.id');
    expect(composeText({ text: '', hashtags: ['#A'], link: '' })).toBe('#A');
  });

  it('matches a hashtag as a whole word', () => {
    expect(composeText({ text: 'Halo #GaungKita', hashtags: ['#Gaung'], link: '' })).toBe('Halo #GaungKita\n\n#Gaung');
  });

  it('normalizes typed hashtags', () => {
    expect(['#Gaung', 'gaung kita', '##x', '#', ' '].map(normalizeHashtag)).toEqual(['#Gaung', '#gaungkita', '#x', null, null]);
  });
});

const NO_OPTIONS = { first_comment: null, thread: [], link: null };

describe('request bodies', () => {
  it("sends each network's options to the server, the Facebook link outside the text", () => {
    const v = emptyValues(9);
    v.title = 'Utas';
    v.accountIds = [1, 3];
    v.baseText = 'Satu';
    v.overrides.x.thread = ['Dua', '  ', 'Tiga'];
    v.overrides.facebook.link = ' https://a.id ';
    v.overrides.instagram.firstComment = '#tagar';
    const [x, fb] = buildCreate(v, accounts)!.variants;
    expect(x.options).toEqual({ first_comment: null, thread: ['Dua', 'Tiga'], link: null });
    expect(fb.options).toEqual({ first_comment: null, thread: [], link: 'https://a.id' });
    expect(fb.text).toBe('Satu');
  });

  it('sends one variant per selected account in the accounts order, with the composed text', () => {
    const v = emptyValues(9);
    v.title = '  Judul ';
    v.accountIds = [3, 1];
    v.baseText = 'Dasar';
    v.baseHashtags = ['#A'];
    v.overrides.x.text = 'Pendek';
    v.baseMedia = [img(5)];
    v.dataSource = ' BPS 2025 ';
    const body = buildCreate(v, accounts)!;
    expect(body.title).toBe('Judul');
    expect(body.variants).toEqual([
      { account_id: 1, text: 'Pendek\n\n#A', media_ids: [5], options: NO_OPTIONS },
      { account_id: 3, text: 'Dasar\n\n#A', media_ids: [5], options: NO_OPTIONS },
    ]);
    expect((body as unknown as { data_source: string }).data_source).toBe('BPS 2025');
    expect('unit_id' in buildPatch(v, accounts)).toBe(false);
    // A server before `data_source` refuses unknown fields: an empty one is left out there.
    expect('data_source' in buildCreate({ ...v, dataSource: '' }, accounts, false)!).toBe(false);
    expect('data_source' in buildCreate({ ...v, dataSource: '' }, accounts, true)!).toBe(true);
    expect(selectedPlatforms(v, accounts)).toEqual(['x', 'facebook']);
  });

  it('reads a saved post back: the shared text is the base, a different one an override', () => {
    const post = {
      id: 1,
      unit_id: 2,
      title: 'T',
      category: null,
      campaign: null,
      notes: null,
      planned_at: null,
      variants: [
        { account_id: 1, platform: 'x', text: 'Khusus X', media_ids: [], media: [], options: { first_comment: null, thread: ['Dua'], link: null } },
        { account_id: 2, platform: 'instagram', options: { first_comment: '#tagar', thread: [], link: null }, text: 'Sama', media_ids: [4], media: [{ id: 4, url: '/4', kind: 'image', width: 1, height: 1, alt_text: 'Alt', original_filename: 'a.jpg' }] },
        { account_id: 3, platform: 'facebook', text: 'Sama', media_ids: [4], media: [] },
      ],
    } as unknown as Post;
    const v = valuesFromPost(post);
    expect(v.baseText).toBe('Sama');
    expect(v.overrides.x.text).toBe('Khusus X');
    expect(v.overrides.instagram.text).toBeNull();
    expect(v.baseMedia.map((m) => [m.id, m.alt])).toEqual([[4, 'Alt']]);
    expect(v.overrides.x.media).toEqual([]);
    expect(v.accountIds).toEqual([1, 2, 3]);
    // The options come from the server, not from this browser.
    expect(v.overrides.x.thread).toEqual(['Dua']);
    expect(v.overrides.instagram.firstComment).toBe('#tagar');
    expect(v.overrides.facebook.link).toBe('');
  });

  it('reorders a carousel', () => {
    expect(move([1, 2, 3], 0, 2)).toEqual([2, 3, 1]);
    expect(move([1, 2, 3], 2, 5)).toEqual([1, 2, 3]);
  });
});
