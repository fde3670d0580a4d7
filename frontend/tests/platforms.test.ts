import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import id from '../src/i18n/id.json';
import openapi from '../src/api/openapi.json';
import { NETWORKS, PLATFORMS, estimateLength, isPlatform, network } from '../src/platforms';
import { PLATFORM_IDS } from '../src/platforms/ids';

describe('platforms', () => {
  it('has one module per platform the API knows, in a steady order', () => {
    const fromApi = (openapi.components.schemas.Platform as { enum: string[] }).enum;
    expect([...PLATFORMS].sort()).toEqual([...fromApi].sort());
    expect(PLATFORMS).toEqual(['x', 'instagram', 'facebook']);
    for (const platform of PLATFORMS) expect(network(platform).platform).toBe(platform);
  });

  it('gives each network a label in both languages, an icon, a colour and a maximum', () => {
    for (const n of NETWORKS) {
      const key = n.labelKey.split('.');
      expect(key[0]).toBe('platform');
      expect((en.platform as Record<string, string>)[key[1]]).toBeTruthy();
      expect((id.platform as Record<string, string>)[key[1]]).toBeTruthy();
      expect(n.icon).toBeTruthy();
      expect(n.color).toMatch(/^[a-z]+$/);
      expect(n.maxLength).toBeGreaterThan(0);
    }
    expect(NETWORKS.map((n) => n.maxLength)).toEqual([280, 2200, 63206]);
    expect(new Set(NETWORKS.map((n) => n.color)).size).toBe(NETWORKS.length);
  });

  it('counts as each network does', () => {
    const text = 'Cek https://example.go.id/berita 😀 日本';
    expect(network('x').count(text)).toBe(4 + 23 + 1 + 2 + 1 + 4);
    expect(network('instagram').count(text)).toBe(Array.from(text).length);
    expect(network('facebook').count(text)).toBe(Array.from(text).length);
    // Counted after NFC: "e" + combining acute is one character.
    expect(estimateLength('facebook', 'e\u0301')).toBe(1);
  });

  it('tells platforms from other strings', () => {
    expect(isPlatform('instagram')).toBe(true);
    expect(isPlatform('mastodon')).toBe(false);
    expect(isPlatform('toString')).toBe(false);
    expect(isPlatform(undefined)).toBe(false);
  });
});

describe('platform ids', () => {
  it('lists the same platforms as the networks, in their order', () => {
    expect([...PLATFORM_IDS]).toEqual(PLATFORMS);
  });
});
