import { ALGORITHM } from './constants.js';
import { hmac } from './hash.js';

/** Step 4: the hex signature of the string to sign. */
export function signature(signingKey: Uint8Array, stringToSign: string): string {
  return hmac(signingKey, stringToSign).toString('hex');
}

/** Step 4: the Authorization header value. */
export function authorizationHeader(accessKeyId: string, scope: string, signedHeaders: string, signatureHex: string): string {
  return `${ALGORITHM} Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signatureHex}`;
}
