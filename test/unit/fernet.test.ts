/**
 * Core's Fernet against the specification's published vectors (test/fixtures/fernet), plus key
 * rotation: several keys, the first encrypts, all decrypt, rotate() re-encrypts under the first.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Fernet, fernetFromConfig, generateFernetKey, InvalidFernetToken, MultiFernet } from '@updraft/core';
import { REPO_ROOT } from '../harness/cli.js';

interface Vector { token: string; now: string; secret: string; src?: string; iv?: number[]; ttl_sec?: number; desc?: string }
const vectors = (name: string): Vector[] => JSON.parse(readFileSync(`${REPO_ROOT}/test/fixtures/fernet/${name}.json`, 'utf8')) as Vector[];

describe('Fernet: the specification vectors', () => {
  it('generates the published token from the given timestamp and IV', () => {
    const all = vectors('generate');
    expect(all.length).toBeGreaterThan(0);
    for (const v of all) {
      const token = new Fernet(v.secret).encrypt(v.src!, { now: new Date(v.now), iv: Uint8Array.from(v.iv!) });
      expect(token).toBe(v.token);
    }
  });

  it('verifies and decrypts the published tokens', () => {
    for (const v of vectors('verify')) {
      expect(new Fernet(v.secret).decrypt(v.token, { ttlSec: v.ttl_sec, now: new Date(v.now) }).toString('utf8')).toBe(v.src);
    }
  });

  it('refuses every invalid token', () => {
    const all = vectors('invalid');
    expect(all.map((v) => v.desc)).toContain('incorrect mac');
    for (const v of all) {
      expect(() => new Fernet(v.secret).decrypt(v.token, { ttlSec: v.ttl_sec, now: new Date(v.now) }), v.desc).toThrow(InvalidFernetToken);
    }
  });
});

describe('Fernet: keys and rotation', () => {
  it('round-trips text and makes a fresh token each time', () => {
    const f = new Fernet(generateFernetKey());
    const a = f.encrypt('s3cret pässword');
    expect(a).not.toBe(f.encrypt('s3cret pässword'));
    expect(a).not.toContain('s3cret');
    expect(f.decrypt(a).toString('utf8')).toBe('s3cret pässword');
  });

  it('generates keys in the padded url-safe form Python writes (44 characters)', () => {
    const key = generateFernetKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  });

  it('refuses a key that is not 32 bytes of url-safe base64, naming the setting', () => {
    expect(() => new Fernet('too-short')).toThrow(/32 bytes/);
    expect(() => fernetFromConfig(`${generateFernetKey()}, nope`)).toThrow(/security\.fernet_key: key 2 of 2/);
    expect(fernetFromConfig(' ')).toBeNull();
  });

  it('first key encrypts, every key decrypts, rotate moves a token to the first key', () => {
    const oldKey = generateFernetKey();
    const newKey = generateFernetKey();
    const old = fernetFromConfig(oldKey)!;
    const both = fernetFromConfig(`${newKey},${oldKey}`)!;
    const fresh = fernetFromConfig(newKey)!;
    const token = old.encrypt('hello', { now: new Date('2020-01-01T00:00:00Z') });
    expect(both.decrypt(token).toString()).toBe('hello');
    expect(() => fresh.decrypt(token)).toThrow(InvalidFernetToken);
    const rotated = both.rotate(token);
    expect(fresh.decrypt(rotated).toString()).toBe('hello');
    expect(new Fernet(newKey).timestampOf(rotated)).toBe(Date.parse('2020-01-01T00:00:00Z') / 1000);
    expect(fresh.decrypt(both.encrypt('x')).toString()).toBe('x');
    expect(() => new MultiFernet([])).toThrow();
  });
});
