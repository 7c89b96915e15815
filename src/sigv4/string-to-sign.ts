/** Step 2: the string to sign, `ALGORITHM \n amz-date \n scope \n hex SHA-256 of the canonical request`. */
import { ALGORITHM, SCOPE_TERMINATOR } from './constants.js';
import { hashPayload } from './hash.js';

/** The credential scope: `YYYYMMDD/<region>/<service>/aws4_request`. */
export function credentialScope(dateStamp: string, region: string, service: string): string {
  return `${dateStamp}/${region}/${service}/${SCOPE_TERMINATOR}`;
}

/** The string to sign for a canonical request signed at `amzDate` within `scope`. */
export function stringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${hashPayload(canonicalRequest)}`;
}
