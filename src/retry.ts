/**
 * When to try a failed request again, and how long to wait first: the AWS SDKs' "standard" mode
 * (full-jitter exponential backoff, a retry quota) plus SES's own rules. Pure apart from the quota's
 * counter; knows nothing of HTTP.
 */
import { LocalCodes, type SesError } from './errors.js';

export interface BackoffOptions {
  /** Base delay in ms for ordinary retries. Default 100. */
  baseDelay?: number;
  /** Base delay in ms after `Throttling`. Default 500. */
  throttlingBaseDelay?: number;
  /** Cap in ms. Default 20 000. */
  maxDelay?: number;
}

export const RETRY_DEFAULTS = { baseDelay: 100, throttlingBaseDelay: 500, maxDelay: 20_000 } as const;

const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);
/** Failures where the request surely did not reach SES's sending logic: retrying cannot duplicate. */
const NOT_SENT_CAUSES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isThrottling(err: SesError): boolean {
  return THROTTLING_CODES.has(err.code);
}

/** A signature rejected because this machine's clock is off (SES allows 5 minutes). */
export function isClockSkew(err: SesError): boolean {
  return (
    err.code === 'RequestExpired' ||
    err.code === 'RequestTimeTooSkewed' ||
    ((err.code === 'SignatureDoesNotMatch' || err.code === 'InvalidSignatureException') && /signature expired/i.test(err.message))
  );
}

/** Temporary credentials that SES no longer takes. */
export function isExpiredToken(err: SesError): boolean {
  return err.code === 'ExpiredToken' || err.code === 'ExpiredTokenException' || err.code === 'InvalidClientTokenId';
}

function causeCode(err: SesError): string | undefined {
  const cause = err.cause as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True when SES may have accepted the request although it failed (5xx, a connection lost after
 * sending, a timeout): retrying such a failure can deliver a message twice.
 */
export function isAmbiguous(err: SesError): boolean {
  if (isThrottling(err) || isClockSkew(err) || isExpiredToken(err)) return false;
  if (err.code === LocalCodes.CONNECTION) return !NOT_SENT_CAUSES.has(causeCode(err) ?? '');
  if (err.code === LocalCodes.TIMEOUT) return causeCode(err) !== 'UND_ERR_CONNECT_TIMEOUT';
  return true;
}

/** Tokens a retry of this failure costs from the quota (the SDKs charge timeouts and network errors double). */
export function retryCost(err: SesError): number {
  return err.code === LocalCodes.TIMEOUT || err.code === LocalCodes.CONNECTION ? 10 : 5;
}

/** Full jitter: random(0, min(base × 2^retry, cap)); `retry` counts from 0. */
export function backoffDelay(retry: number, throttling: boolean, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = throttling ? options.throttlingBaseDelay ?? RETRY_DEFAULTS.throttlingBaseDelay : options.baseDelay ?? RETRY_DEFAULTS.baseDelay;
  const cap = options.maxDelay ?? RETRY_DEFAULTS.maxDelay;
  return Math.floor(random() * Math.min(base * 2 ** retry, cap));
}

/** `Retry-After` in seconds or as an HTTP date → ms, capped; undefined when absent or malformed. */
export function retryAfterMs(value: string | undefined, now: number, cap: number = RETRY_DEFAULTS.maxDelay): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, cap) : undefined;
}

/**
 * The SDKs' retry quota: a budget of tokens shared by one client's calls. Each retry spends some;
 * each success gives back what its own retries spent. An endpoint that keeps failing drains it, and
 * then failures are returned at once instead of hammering it.
 */
export class RetryQuota {
  private tokens: number;
  constructor(private readonly capacity = 500) {
    this.tokens = capacity;
  }
  get available(): number {
    return this.tokens;
  }
  take(cost: number): boolean {
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
  refund(amount: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + amount);
  }
}
