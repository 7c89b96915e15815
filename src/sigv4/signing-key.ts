import { KEY_PREFIX, SCOPE_TERMINATOR } from './constants.js';
import { hmac } from './hash.js';

/** Step 3: the signing key, HMAC chained over date, region, service and `aws4_request`. */
export function deriveSigningKey(secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
  const kDate = hmac(KEY_PREFIX + secretAccessKey, dateStamp);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, SCOPE_TERMINATOR);
}

/**
 * Keeps the last derived key: it changes only when the day, the secret, the region or the service
 * does, so one entry spares four HMACs on nearly every request.
 */
export class SigningKeyCache {
  private secret = '';
  private stamp = '';
  private region = '';
  private service = '';
  private key: Buffer | undefined;

  get(secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
    if (!this.key || this.secret !== secretAccessKey || this.stamp !== dateStamp || this.region !== region || this.service !== service) {
      this.key = deriveSigningKey(secretAccessKey, dateStamp, region, service);
      this.secret = secretAccessKey;
      this.stamp = dateStamp;
      this.region = region;
      this.service = service;
    }
    return this.key;
  }
}
