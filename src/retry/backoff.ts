/**
 * How long to wait before a retry: truncated binary exponential backoff with full jitter, and the
 * server's retry hint as a bounded lower limit. Pure functions.
 *
 * Follows smithy-typescript `@smithy/core` 3.41 `util-retry/DefaultRetryBackoffStrategy.js`,
 * `StandardRetryStrategy.js` and `middleware-retry/parseRetryAfterHeader.js`, which match botocore
 * `botocore/retries/standard.py` `ExponentialBackoff` (standard mode 2.1).
 */

export interface BackoffOptions {
  /** Base delay in ms for ordinary retries. Default 50. */
  baseDelay?: number;
  /** Base delay in ms after throttling. Default 1000. */
  throttlingBaseDelay?: number;
  /** Cap in ms. Default 20 000. */
  maxDelay?: number;
}

export const BACKOFF_DEFAULTS = { baseDelay: 50, throttlingBaseDelay: 1000, maxDelay: 20_000 } as const;

/** A server hint raises the delay by at most this much over the computed backoff (smithy, botocore). */
export const RETRY_HINT_MAX_EXTRA_MS = 5000;

/** Full jitter: random(0, min(base × 2^retry, cap)); `retry` counts from 0. */
export function fullJitter(retry: number, base: number, cap: number, random: () => number): number {
  return Math.floor(random() * Math.min(base * 2 ** retry, cap));
}

/** The delay with a server hint: max(backoff, min(hint, backoff + 5 s)). A hint never shortens the backoff. */
export function boundedByHint(backoff: number, hintMs: number | undefined): number {
  if (hintMs === undefined) return backoff;
  return Math.max(backoff, Math.min(hintMs, backoff + RETRY_HINT_MAX_EXTRA_MS));
}

/**
 * The server's retry hint in ms from now: `x-amz-retry-after` (milliseconds) or `Retry-After`
 * (seconds, or an HTTP date). Undefined when absent or malformed.
 */
export function retryHintMs(headers: { get(name: string): string | undefined }, now: number): number | undefined {
  const amz = headers.get('x-amz-retry-after');
  if (amz !== undefined) {
    const ms = Number(amz);
    return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
