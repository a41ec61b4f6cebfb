import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const VERSION = 'v1';

/**
 * Encrypts connection secrets at rest with AES-256-GCM. The ciphertext format is
 * `v1.<iv>.<tag>.<data>` (base64url); the key never leaves this object and its toString
 * hides it, so it cannot end up in a log by accident.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('PULSE_SECRET_KEY must decode to exactly 32 bytes');
    this.#key = key;
  }

  /** Key from a 64-char hex or base64 string (the PULSE_SECRET_KEY format). */
  static fromString(value: string): SecretBox {
    const trimmed = value.trim();
    const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
      ? Buffer.from(trimmed, 'hex')
      : Buffer.from(trimmed, 'base64');
    return new SecretBox(key);
  }

  /** Read the key file, creating it (mode 0600) with a fresh random key on first run. */
  static fromKeyFile(path: string): SecretBox {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    }
    chmodSync(path, 0o600);
    return SecretBox.fromString(readFileSync(path, 'utf8'));
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  decrypt(ciphertext: string): string {
    const [version, iv, tag, data] = ciphertext.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined)
      throw new Error('unrecognised secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  toString(): string {
    return '[SecretBox]';
  }

  toJSON(): string {
    return '[SecretBox]';
  }
}
