import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = SecretBox.fromString('00'.repeat(32));

  it('round-trips and never produces the same ciphertext twice', () => {
    const a = box.encrypt('ghp_secret');
    const b = box.encrypt('ghp_secret');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('ghp_secret');
    expect(box.decrypt(a)).toBe('ghp_secret');
  });

  it('rejects tampered ciphertext (GCM authentication)', () => {
    const parts = box.encrypt('token').split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
  });

  it('rejects a ciphertext made with another key', () => {
    const other = SecretBox.fromString('11'.repeat(32));
    expect(() => box.decrypt(other.encrypt('token'))).toThrow();
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => SecretBox.fromString('abcd')).toThrow(/32 bytes/);
  });

  it('creates a 0600 key file once and reuses it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pulse-key-')), 'nested', 'secret.key');
    const first = SecretBox.fromKeyFile(path);
    const key = readFileSync(path, 'utf8');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = SecretBox.fromKeyFile(path);
    expect(readFileSync(path, 'utf8')).toBe(key);
    expect(second.decrypt(first.encrypt('x'))).toBe('x');
  });

  it('does not reveal the key when stringified or logged', () => {
    expect(String(box)).toBe('[SecretBox]');
    expect(JSON.stringify({ box })).toBe('{"box":"[SecretBox]"}');
  });
});
