/**
 * What kind of failure an error is: the one place that decides it. The retry strategy, the client
 * and `SesError`'s default `retryable` all read it.
 *
 * The lists follow the AWS SDKs: smithy-typescript `@smithy/core` 3.41
 * `retry/service-error-classification/constants.js` and `service-error-classification.js`, and
 * botocore `botocore/retries/standard.py` (`ThrottledRetryableChecker`, `TransientRetryableChecker`),
 * with two rules of SES's own: `Throttling` with "Daily message quota exceeded" is not retried, and a
 * TLS certificate failure is not retried (a retry cannot fix a certificate).
 */
import { LocalCodes } from '../error-codes.js';

export type FailureKind =
  /** Slow down and retry (throttling base delay, throttling cost). */
  | 'throttling'
  /** Retry with backoff: 5xx, timeouts, lost connections. */
  | 'transient'
  /** A signature refused for the time it carries: retried once the clock offset was corrected. */
  | 'clock-skew'
  /** Temporary credentials SES no longer takes: retried once with refreshed credentials. */
  | 'expired-token'
  /** Anything else: sending the same request again cannot help. */
  | 'permanent';

/** The fields of a failure that decide its kind. */
export interface FailureFacts {
  code: string;
  statusCode?: number | undefined;
  message?: string | undefined;
  cause?: unknown;
}

/** botocore `_THROTTLED_ERROR_CODES` ∪ smithy `THROTTLING_ERROR_CODES` (the same list). */
const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/**
 * smithy `TRANSIENT_ERROR_CODES` and botocore `_TRANSIENT_ERROR_CODES`, plus SES's own server-fault
 * codes (which SES sends with a 5xx status anyway, so they are retried by status too).
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
]);

/** smithy `TRANSIENT_ERROR_STATUS_CODES`, botocore `_TRANSIENT_STATUS_CODES`. */
const TRANSIENT_STATUS_CODES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** smithy `CLOCK_SKEW_ERROR_CODES` (the codes a service uses for a signature refused for its time). */
const CLOCK_SKEW_CODES: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'AuthFailure',
  'InvalidSignatureException',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'SignatureDoesNotMatch',
]);

/** Codes for temporary credentials that expired or were revoked. */
const EXPIRED_TOKEN_CODES: ReadonlySet<string> = new Set(['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId']);

/**
 * Certificate and TLS-handshake failures (Node's OpenSSL error codes): permanent. A retry reaches the
 * same certificate.
 */
const TLS_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Failures that surely happened before the request reached SES (nothing was sent), so a retry cannot
 * deliver a message twice.
 */
const NOT_SENT_CAUSES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const DAILY_QUOTA = /daily message quota/i;

/** The first string `code` along an error's `cause` chain (at most 5 deep). */
function causeCode(cause: unknown): string | undefined {
  let current: unknown = cause;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTlsFailure(cause: unknown): boolean {
  const code = causeCode(cause);
  return code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'));
}

/** SES answers `Throttling` for the per-second rate (retry) and for the daily quota (do not). */
function isDailyQuotaExceeded(f: FailureFacts): boolean {
  return f.code === 'Throttling' && DAILY_QUOTA.test(f.message ?? '');
}

/** The kind of a failure. */
export function classify(f: FailureFacts): FailureKind {
  if (isDailyQuotaExceeded(f)) return 'permanent';
  if (f.statusCode === 429 || THROTTLING_CODES.has(f.code)) return 'throttling';
  if (CLOCK_SKEW_CODES.has(f.code)) return 'clock-skew';
  if (EXPIRED_TOKEN_CODES.has(f.code)) return 'expired-token';
  if (f.code === LocalCodes.CONNECTION || f.code === LocalCodes.TIMEOUT) return isTlsFailure(f.cause) ? 'permanent' : 'transient';
  if (TRANSIENT_CODES.has(f.code)) return 'transient';
  if (f.statusCode !== undefined && TRANSIENT_STATUS_CODES.has(f.statusCode)) return 'transient';
  return 'permanent';
}

/** The default answer to "could the same request succeed later?" (clock skew and expired tokens: only after a correction). */
export function isRetryableKind(kind: FailureKind): boolean {
  return kind === 'throttling' || kind === 'transient';
}

/**
 * True when SES may have accepted the request although it failed (a 5xx, a connection lost after the
 * request was written, a timeout while waiting for the answer): retrying such a failure can deliver a
 * message twice. Throttling, clock skew and expired tokens are refusals: nothing was sent.
 */
export function isAmbiguous(f: FailureFacts): boolean {
  const kind = classify(f);
  if (kind !== 'transient') return false;
  if (f.code === LocalCodes.CONNECTION) return !NOT_SENT_CAUSES.has(causeCode(f.cause) ?? '');
  if (f.code === LocalCodes.TIMEOUT) return causeCode(f.cause) !== 'UND_ERR_CONNECT_TIMEOUT';
  return true;
}
