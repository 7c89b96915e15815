/** Every SigV4 wire string in one place (AWS Signature Version 4, header-based signing). */

/** The algorithm named in the string to sign and the Authorization header. */
export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Prefixed to the secret access key to form the first HMAC key. */
export const KEY_PREFIX = 'AWS4';
/** The last element of the credential scope and of the signing-key chain. */
export const SCOPE_TERMINATOR = 'aws4_request';
/** Node's name of the hash SigV4 uses for payloads, canonical requests and HMACs. */
export const HASH_ALGORITHM = 'sha256';

/** Header carrying the signing time, `YYYYMMDD'T'HHMMSS'Z'`. */
export const AMZ_DATE_HEADER = 'x-amz-date';
/** Header carrying a temporary credential's session token (signed). */
export const SECURITY_TOKEN_HEADER = 'x-amz-security-token';
/** Header carrying the signature. */
export const AUTHORIZATION_HEADER = 'authorization';
/** Header naming the host; always signed. */
export const HOST_HEADER = 'host';

/** Parts of the Authorization header value: `<ALGORITHM> Credential=…, SignedHeaders=…, Signature=…`. */
export const CREDENTIAL_PART = ' Credential=';
export const SIGNED_HEADERS_PART = ', SignedHeaders=';
export const SIGNATURE_PART = ', Signature=';
