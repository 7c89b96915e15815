/** Signs one request with SigV4: the steps in order, with a cached signing key. Knows nothing of HTTP clients. */
import type { Credentials } from '../credentials/types.js';
import { canonicalHeaders, canonicalRequest } from './canonical-request.js';
import { AMZ_DATE_HEADER, AUTHORIZATION_HEADER, HOST_HEADER, SECURITY_TOKEN_HEADER } from './constants.js';
import { dateStamp, formatAmzDate } from './dates.js';
import { hashPayload } from './hash.js';
import { authorizationHeader, signature } from './signature.js';
import { SigningKeyCache } from './signing-key.js';
import { credentialScope, stringToSign } from './string-to-sign.js';

export interface SignableRequest {
  method: string;
  /** As sent in the Host header, e.g. `email.us-east-1.amazonaws.com` or `127.0.0.1:4567`. */
  host: string;
  path: string;
  /** Raw query string without `?`, already encoded; usually empty for the Query API's POSTs. */
  query?: string;
  /** Lower-case names. `host` is added from `host`. All given headers are signed. */
  headers: Record<string, string>;
  body: string | Uint8Array;
  /** Precomputed hex SHA-256 of `body`, when the caller already has it. */
  payloadHash?: string;
}

export interface SignerOptions {
  region: string;
  service: string;
}

export class SigV4Signer {
  readonly region: string;
  readonly service: string;
  private readonly keys = new SigningKeyCache();

  constructor(options: SignerOptions) {
    this.region = options.region;
    this.service = options.service;
  }

  /** Returns the headers to add: `x-amz-date`, `x-amz-security-token` (with a session token) and `authorization`. */
  sign(request: SignableRequest, credentials: Credentials, date: Date): Record<string, string> {
    const amzDate = formatAmzDate(date);
    const stamp = dateStamp(amzDate);
    const added: Record<string, string> = { [AMZ_DATE_HEADER]: amzDate };
    if (credentials.sessionToken) added[SECURITY_TOKEN_HEADER] = credentials.sessionToken;
    const headers = canonicalHeaders({ ...request.headers, [HOST_HEADER]: request.host, ...added });
    const canonical = canonicalRequest(request.method, request.path, request.query, headers, request.payloadHash ?? hashPayload(request.body));
    const scope = credentialScope(stamp, this.region, this.service);
    const key = this.keys.get(credentials.secretAccessKey, stamp, this.region, this.service);
    added[AUTHORIZATION_HEADER] = authorizationHeader(credentials.accessKeyId, scope, headers.signed, signature(key, stringToSign(amzDate, scope, canonical)));
    return added;
  }
}
