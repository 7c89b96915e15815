import { createHash, createHmac } from 'node:crypto';

/** Hex SHA-256 of the exact body bytes (a string is hashed as UTF-8 without copying it to a Buffer first). */
export function hashPayload(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
