/**
 * Fernet (https://github.com/fernet/spec), the token format Airflow encrypts connection passwords,
 * extras and variables with, built on node:crypto so a key and its tokens move between the two:
 *
 *   token = base64url(0x80 | timestamp (u64 BE, seconds) | IV (16) | AES-128-CBC(PKCS#7) | HMAC-SHA256)
 *   key   = base64url(signing key (16) | encryption key (16))
 *
 * `security.fernet_key` may hold several comma-separated keys (MultiFernet): the first encrypts,
 * every key is tried to decrypt, and rotate() re-encrypts a token under the first key.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { UpdraftError } from '../errors.js';

const VERSION = 0x80;
/** Tokens stamped this far in the future are refused when a TTL is checked (the spec's reference value). */
const MAX_CLOCK_SKEW_SEC = 60;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** A token that is malformed, not signed by the key, or (with a TTL) too old or from the future. */
export class InvalidFernetToken extends Error {
  constructor(reason: string) {
    super(`invalid Fernet token: ${reason}`);
    this.name = 'InvalidFernetToken';
  }
}

function decodeBase64Url(text: string): Buffer | null {
  // Buffer.from(..., 'base64url') skips characters outside the alphabet; the spec refuses them.
  if (!BASE64URL.test(text) || text.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(text, 'base64url');
}

/** A new random key in Fernet's format (base64url with padding, as Python's Fernet.generate_key()). */
export function generateFernetKey(): string {
  return randomBytes(32).toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

export interface EncryptOptions {
  /** Default: now. */
  now?: Date;
  /** Default: 16 random bytes. */
  iv?: Uint8Array;
}

export interface DecryptOptions {
  /** Refuse tokens older than this many seconds (and stamped more than 60 s in the future). Default: no limit. */
  ttlSec?: number;
  /** Default: now. */
  now?: Date;
}

export class Fernet {
  private readonly signingKey: Buffer;
  private readonly encryptionKey: Buffer;

  /** `key`: 32 bytes as base64url (with or without padding). Throws CONFIG_INVALID otherwise. */
  constructor(key: string) {
    const bytes = decodeBase64Url(key.trim());
    if (bytes === null || bytes.length !== 32) {
      throw new UpdraftError('CONFIG_INVALID', 'a Fernet key must be 32 bytes in url-safe base64 (44 characters, e.g. from `updraft rotate-fernet-key --generate`)');
    }
    this.signingKey = bytes.subarray(0, 16);
    this.encryptionKey = bytes.subarray(16);
  }

  encrypt(data: string | Uint8Array, options: EncryptOptions = {}): string {
    const iv = Buffer.from(options.iv ?? randomBytes(16));
    if (iv.length !== 16) throw new UpdraftError('INVALID_ARGUMENT', 'a Fernet IV must be 16 bytes');
    const seconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const cipher = createCipheriv('aes-128-cbc', this.encryptionKey, iv);
    const plain = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return this.seal(seconds, iv, ciphertext);
  }

  /** The plaintext bytes of `token`; InvalidFernetToken when it is not valid under this key. */
  decrypt(token: string, options: DecryptOptions = {}): Buffer {
    const { seconds, iv, ciphertext } = this.open(token);
    if (options.ttlSec !== undefined) {
      const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
      if (seconds + options.ttlSec < now) throw new InvalidFernetToken('expired');
      if (now + MAX_CLOCK_SKEW_SEC < seconds) throw new InvalidFernetToken('timestamp too far in the future');
    }
    try {
      const decipher = createDecipheriv('aes-128-cbc', this.encryptionKey, iv);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new InvalidFernetToken('bad padding');
    }
  }

  /** The timestamp (seconds since the epoch) a valid token was created at. */
  timestampOf(token: string): number {
    return this.open(token).seconds;
  }

  /** Re-encrypts a token's plaintext under this key, keeping its timestamp (as Python's MultiFernet.rotate). */
  reseal(seconds: number, plain: Buffer): string {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', this.encryptionKey, iv);
    return this.seal(seconds, iv, Buffer.concat([cipher.update(plain), cipher.final()]));
  }

  private seal(seconds: number, iv: Buffer, ciphertext: Buffer): string {
    const head = Buffer.alloc(9);
    head.writeUInt8(VERSION, 0);
    head.writeBigUInt64BE(BigInt(seconds), 1);
    const body = Buffer.concat([head, iv, ciphertext]);
    const mac = createHmac('sha256', this.signingKey).update(body).digest();
    return Buffer.concat([body, mac]).toString('base64').replaceAll('+', '-').replaceAll('/', '_');
  }

  /** Checks format and signature; the fields of a token signed by this key. */
  private open(token: string): { seconds: number; iv: Buffer; ciphertext: Buffer } {
    const bytes = decodeBase64Url(token);
    if (bytes === null) throw new InvalidFernetToken('not url-safe base64');
    // version 1 + timestamp 8 + IV 16 + at least one block 16 + HMAC 32
    if (bytes.length < 73 || (bytes.length - 57) % 16 !== 0) throw new InvalidFernetToken('wrong length');
    if (bytes[0] !== VERSION) throw new InvalidFernetToken('unknown version');
    const body = bytes.subarray(0, bytes.length - 32);
    const mac = createHmac('sha256', this.signingKey).update(body).digest();
    if (!timingSafeEqual(mac, bytes.subarray(bytes.length - 32))) throw new InvalidFernetToken('signature does not match the key');
    return { seconds: Number(bytes.readBigUInt64BE(1)), iv: bytes.subarray(9, 25), ciphertext: bytes.subarray(25, bytes.length - 32) };
  }
}

/** Several keys: the first encrypts, all decrypt (Airflow's `fernet_key = new,old`). */
export class MultiFernet {
  private readonly keys: Fernet[];

  constructor(keys: readonly Fernet[]) {
    if (keys.length === 0) throw new UpdraftError('CONFIG_INVALID', 'MultiFernet needs at least one key');
    this.keys = [...keys];
  }

  encrypt(data: string | Uint8Array, options?: EncryptOptions): string {
    return this.keys[0]!.encrypt(data, options);
  }

  decrypt(token: string, options?: DecryptOptions): Buffer {
    for (const key of this.keys) {
      try {
        return key.decrypt(token, options);
      } catch (err) {
        if (!(err instanceof InvalidFernetToken)) throw err;
      }
    }
    throw new InvalidFernetToken('no key of security.fernet_key decrypts it');
  }

  /** The token re-encrypted under the first key (same plaintext and timestamp). */
  rotate(token: string): string {
    for (const key of this.keys) {
      let seconds: number;
      try {
        seconds = key.timestampOf(token);
      } catch (err) {
        if (err instanceof InvalidFernetToken) continue;
        throw err;
      }
      return this.keys[0]!.reseal(seconds, key.decrypt(token));
    }
    throw new InvalidFernetToken('no key of security.fernet_key decrypts it');
  }
}

/**
 * The MultiFernet of `security.fernet_key` (comma-separated keys), or null when it is empty.
 * A malformed key is CONFIG_INVALID naming the setting and which key.
 */
export function fernetFromConfig(fernetKey: string): MultiFernet | null {
  const parts = fernetKey.split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (parts.length === 0) return null;
  return new MultiFernet(parts.map((k, i) => {
    try {
      return new Fernet(k);
    } catch (err) {
      throw new UpdraftError('CONFIG_INVALID', `security.fernet_key: key ${i + 1} of ${parts.length} is not valid: ${(err as Error).message}`, { cause: err });
    }
  }));
}
