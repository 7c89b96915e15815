/** Signs one request with SigV4: the four steps in order, with a cached signing key. Knows nothing of HTTP clients. */
import type { Credentials } from '../credentials/types.js';
import { canonicalHeaderList, canonicalRequest } from './canonical-request.js';
import { AMZ_DATE_HEADER, AUTHORIZATION_HEADER, HOST_HEADER, SECURITY_TOKEN_HEADER } from './constants.js';
import { dateStamp, formatAmzDate } from './dates.js';
import { hashPayload } from './hash.js';
import { authorizationHeader, signature } from './signature.js';
import { SigningKeyCache } from './signing-key.js';
import { credentialScope, stringToSign } from './string-to-sign.js';

/** What the signer needs to know about a request. */
export interface SignableRequest {
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** As sent in the Host header, e.g. `email.us-east-1.amazonaws.com` or `127.0.0.1:4567`. */
  host: string;
  /** The path as sent, e.g. `/`. */
  path: string;
  /** Raw query string without `?`; usually empty for the Query API's POSTs. */
  query?: string;
  /**
   * Headers to sign, lower-case names (e.g. `content-type`). `host` comes from {@link host};
   * `host`, `x-amz-date`, `x-amz-security-token` and `authorization` given here are ignored.
   */
  headers: Readonly<Record<string, string>>;
  /** The exact body bytes (a string is sent and hashed as UTF-8). */
  body: string | Uint8Array;
  /** Hex SHA-256 of `body`, when the caller already has it (then `body` is not hashed again). */
  payloadHash?: string;
}

/** The signing scope. */
export interface SignerOptions {
  /** The signing region, e.g. `us-east-1`. */
  region: string;
  /** The signing name, e.g. `ses` or `sts`. */
  service: string;
}

// Headers the signer sets itself; a caller's copy would be stale or conflicting.
const OWN_HEADERS = new Set([HOST_HEADER, AMZ_DATE_HEADER, SECURITY_TOKEN_HEADER, AUTHORIZATION_HEADER]);

/** A SigV4 signer for one region and service. Keeps the last signing key; otherwise stateless. */
export class SigV4Signer {
  /** The signing region. */
  readonly region: string;
  /** The signing name. */
  readonly service: string;
  private readonly keys = new SigningKeyCache();

  constructor(options: SignerOptions) {
    this.region = options.region;
    this.service = options.service;
  }

  /**
   * Signs `request` as of `date`. Returns the headers to add to it: `x-amz-date`,
   * `x-amz-security-token` (only with a session token) and `authorization`. Signed headers:
   * every header in `request.headers`, `host`, `x-amz-date` and `x-amz-security-token` (when present).
   */
  sign(request: SignableRequest, credentials: Credentials, date: Date): Record<string, string> {
    const amzDate = formatAmzDate(date);
    const stamp = dateStamp(amzDate);
    const token = credentials.sessionToken;

    const entries: Array<[string, string]> = [];
    const given = request.headers;
    for (const name of Object.keys(given)) {
      const lower = name.toLowerCase();
      if (!OWN_HEADERS.has(lower)) entries.push([lower, given[name]!]);
    }
    entries.push([HOST_HEADER, request.host], [AMZ_DATE_HEADER, amzDate]);
    if (token) entries.push([SECURITY_TOKEN_HEADER, token]);
    const headers = canonicalHeaderList(entries);

    const payloadHash = request.payloadHash ?? hashPayload(request.body);
    const canonical = canonicalRequest(request.method, request.path, request.query, headers, payloadHash);
    const scope = credentialScope(stamp, this.region, this.service);
    const key = this.keys.get(credentials.secretAccessKey, stamp, this.region, this.service);
    const authorization = authorizationHeader(
      credentials.accessKeyId,
      scope,
      headers.signed,
      signature(key, stringToSign(amzDate, scope, canonical)),
    );

    const added: Record<string, string> = { [AMZ_DATE_HEADER]: amzDate };
    if (token) added[SECURITY_TOKEN_HEADER] = token;
    added[AUTHORIZATION_HEADER] = authorization;
    return added;
  }
}
