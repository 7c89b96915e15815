/** Step 4: the signature and the Authorization header that carries it. */
import { ALGORITHM, CREDENTIAL_PART, SIGNATURE_PART, SIGNED_HEADERS_PART } from './constants.js';
import { hmacHex } from './hash.js';

/** The hex HMAC-SHA256 of the string to sign under the signing key. */
export function signature(signingKey: Uint8Array, stringToSign: string): string {
  return hmacHex(signingKey, stringToSign);
}

/** `AWS4-HMAC-SHA256 Credential=<key id>/<scope>, SignedHeaders=<names>, Signature=<hex>`. */
export function authorizationHeader(accessKeyId: string, scope: string, signedHeaders: string, signatureHex: string): string {
  return `${ALGORITHM}${CREDENTIAL_PART}${accessKeyId}/${scope}${SIGNED_HEADERS_PART}${signedHeaders}${SIGNATURE_PART}${signatureHex}`;
}
