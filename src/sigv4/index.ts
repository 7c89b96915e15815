export { SigV4Signer } from './signer.js';
export type { SignableRequest, SignerOptions } from './signer.js';
export { canonicalHeaders, canonicalQuery, canonicalRequest } from './canonical-request.js';
export { credentialScope, stringToSign } from './string-to-sign.js';
export { deriveSigningKey, SigningKeyCache } from './signing-key.js';
export { signature, authorizationHeader } from './signature.js';
export { hashPayload } from './hash.js';
export { formatAmzDate, dateStamp } from './dates.js';
