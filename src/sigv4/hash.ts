import { createHash, createHmac } from 'node:crypto';
import { HASH_ALGORITHM } from './constants.js';

/**
 * Hex SHA-256 of the exact body bytes. A string is hashed as UTF-8 straight from the string (no
 * Buffer copy made here).
 */
export function hashPayload(body: string | Uint8Array): string {
  return createHash(HASH_ALGORITHM).update(body).digest('hex');
}

/** HMAC-SHA256 of a UTF-8 string, as raw bytes (the signing-key chain). */
export function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac(HASH_ALGORITHM, key).update(data).digest();
}

/** HMAC-SHA256 of a UTF-8 string, as lower-case hex (the signature). */
export function hmacHex(key: Uint8Array, data: string): string {
  return createHmac(HASH_ALGORITHM, key).update(data).digest('hex');
}
