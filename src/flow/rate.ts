/** The one check of a sending rate option (`sendingRate`, `TokenBucketLimiter`, `RedisRateLimiter`). */
import { configError } from '../errors.js';

/** A positive finite number of recipients per second, or `'auto'`; anything else is `ECONFIG` naming `what`. */
export function checkRate(value: unknown, what: string): number | 'auto' {
  if (value === 'auto') return value;
  if (typeof value === 'number' && value > 0 && Number.isFinite(value)) return value;
  throw configError(`${what} must be a positive number (recipients per second) or "auto"`);
}
