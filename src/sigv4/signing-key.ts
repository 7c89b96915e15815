/** Step 3: the signing key, and a one-entry cache of it. */
import { KEY_PREFIX, SCOPE_TERMINATOR } from './constants.js';
import { hmac } from './hash.js';

/**
 * The signing key: HMAC-SHA256 chained from `AWS4` + secret over the date stamp, the region, the
 * service and `aws4_request`.
 */
export function deriveSigningKey(secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
  const kDate = hmac(KEY_PREFIX + secretAccessKey, dateStamp);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, SCOPE_TERMINATOR);
}

/**
 * Keeps the last derived key. It changes only with the day, the secret, the region or the service,
 * so one entry spares four HMACs on nearly every request. The key stays in memory only.
 */
export class SigningKeyCache {
  private secret = '';
  private stamp = '';
  private region = '';
  private service = '';
  private key: Buffer | undefined;

  /** The signing key for these inputs: the cached one when they match the last call, else derived. */
  get(secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
    if (
      this.key === undefined ||
      this.stamp !== dateStamp ||
      this.secret !== secretAccessKey ||
      this.region !== region ||
      this.service !== service
    ) {
      this.key = deriveSigningKey(secretAccessKey, dateStamp, region, service);
      this.secret = secretAccessKey;
      this.stamp = dateStamp;
      this.region = region;
      this.service = service;
    }
    return this.key;
  }
}
