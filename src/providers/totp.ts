// RFC 6238 time-based one-time passwords (the authenticator-app codes Amazon's 2-step page asks for).
// Twenty lines of node:crypto; a library would add a dependency for no gain.
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes a base32 secret as authenticator apps show it (spaces, lower case and `=` padding allowed). */
export function decodeBase32(secret: string): Buffer {
  const clean = secret.replace(/[\s=-]/g, '').toUpperCase();
  if (clean.length === 0) throw new Error('TOTP secret is empty');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) throw new Error('TOTP secret is not base32 (letters A-Z and digits 2-7)');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

export function encodeBase32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) { out += BASE32[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The code for the 30-second step that contains `atMs` (HOTP over the step counter, SHA-1, 6 digits). */
export function totpCode(secret: string | Buffer, atMs = Date.now(), stepSeconds = 30, digits = 6): string {
  const key = typeof secret === 'string' ? decodeBase32(secret) : secret;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / stepSeconds)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** True when `code` matches the current step or one step either side (clock drift). */
export function totpValid(secret: string | Buffer, code: string, atMs = Date.now(), window = 1): boolean {
  for (let step = -window; step <= window; step++) {
    if (totpCode(secret, atMs + step * 30_000) === code) return true;
  }
  return false;
}
