/** AWS Signature Version 4 (header signing, SHA-256), one step per module. */
export { SigV4Signer } from './signer.js';
export type { SignableRequest, SignerOptions } from './signer.js';
export {
  canonicalHeaderList,
  canonicalHeaderValue,
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
} from './canonical-request.js';
export type { CanonicalHeaders } from './canonical-request.js';
export { credentialScope, stringToSign } from './string-to-sign.js';
export { deriveSigningKey, SigningKeyCache } from './signing-key.js';
export { authorizationHeader, signature } from './signature.js';
export { hashPayload } from './hash.js';
export { dateStamp, formatAmzDate } from './dates.js';
export * from './constants.js';
