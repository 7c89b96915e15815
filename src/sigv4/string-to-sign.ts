import { ALGORITHM, SCOPE_TERMINATOR } from './constants.js';
import { hashPayload } from './hash.js';

/** Step 2: `YYYYMMDD/region/service/aws4_request`. */
export function credentialScope(dateStamp: string, region: string, service: string): string {
  return `${dateStamp}/${region}/${service}/${SCOPE_TERMINATOR}`;
}

/** Step 2: the string to sign. */
export function stringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${hashPayload(canonicalRequest)}`;
}
