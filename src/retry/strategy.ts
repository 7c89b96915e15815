/**
 * The retry decision for one client: which failures are retried, how often, after how long, and the
 * retry quota that stops a client from hammering an endpoint that keeps failing. One way in:
 * `begin()` a token per call, `retryAfter()` on each failure (a delay, or undefined to stop), and
 * `recordSuccess()` when the call succeeds.
 *
 * Follows smithy-typescript `@smithy/core` 3.41 `util-retry/StandardRetryStrategy.js` with
 * `retries-2026-config.js` (the same numbers as botocore `botocore/retries/standard.py`
 * `RetryQuotaChecker`, standard mode 2.1): a quota of 500 tokens; a retry after throttling costs 5,
 * any other retry 14; a call that succeeds without a retry adds 1 token, one that succeeds after
 * retries gives back what its last retry cost.
 */
import type { SesError } from '../errors.js';
import { BACKOFF_DEFAULTS, boundedByHint, fullJitter, type BackoffOptions } from './backoff.js';
import { classify, isAmbiguous, type FailureKind } from './classify.js';

const INITIAL_RETRY_TOKENS = 500;
const RETRY_COST = 14;
const THROTTLING_RETRY_COST = 5;
const NO_RETRY_INCREMENT = 1;

export interface RetryStrategyOptions {
  /** Attempts per call, the first included. Default 3; 1 means one request. */
  maxAttempts?: number;
  /** Also retry failures after which SES may have accepted the request. Default true. */
  retryAmbiguous?: boolean;
  backoff?: BackoffOptions;
  random?: () => number;
}

/** The state of one call: how many retries it made and what its last retry cost. */
export interface RetryToken {
  retries: number;
  lastCost: number | undefined;
  /** The kinds already retried once at most (clock skew, expired token). */
  onceUsed: Set<FailureKind>;
}

/** What the caller knows about one failed attempt. */
export interface FailedAttempt {
  error: SesError;
  /** Attempts made so far in this call, the failed one included. */
  attempts: number;
  /** The server's retry hint, ms. */
  retryHintMs?: number | undefined;
  /** For `clock-skew`: the answer's Date header moved the clock offset, so a new signature will differ. */
  clockCorrected?: boolean;
  /** For `expired-token`: refreshed credentials differ from the ones SES refused. */
  canRefreshCredentials?: boolean;
  /** Milliseconds left before the caller's deadline: a retry that could not start in time is refused, uncharged. */
  remainingMs?: number;
  /** This call must not retry failures after which SES may have acted (overrides `retryAmbiguous`). */
  noAmbiguousRetry?: boolean;
}

export type RetryDecision =
  | { retry: true; delay: number; kind: FailureKind }
  | { retry: false; kind: FailureKind; reason: 'not retryable' | 'ambiguous' | 'attempts' | 'quota' | 'deadline' };

export class StandardRetryStrategy {
  readonly maxAttempts: number;
  private readonly retryAmbiguous: boolean;
  private readonly base: number;
  private readonly throttlingBase: number;
  private readonly cap: number;
  private readonly random: () => number;
  private tokens = INITIAL_RETRY_TOKENS;

  constructor(options: RetryStrategyOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryAmbiguous = options.retryAmbiguous ?? true;
    this.base = options.backoff?.baseDelay ?? BACKOFF_DEFAULTS.baseDelay;
    this.throttlingBase = options.backoff?.throttlingBaseDelay ?? BACKOFF_DEFAULTS.throttlingBaseDelay;
    this.cap = options.backoff?.maxDelay ?? BACKOFF_DEFAULTS.maxDelay;
    this.random = options.random ?? Math.random;
  }

  /** Tokens left in the retry quota. */
  get capacity(): number {
    return this.tokens;
  }

  begin(): RetryToken {
    return { retries: 0, lastCost: undefined, onceUsed: new Set() };
  }

  /**
   * Decides about one failed attempt. When it says retry, the quota has been charged and the token
   * advanced; the caller waits `delay` ms (or gives up earlier for its own reasons: abort, deadline).
   */
  retryAfter(token: RetryToken, failure: FailedAttempt): RetryDecision {
    const kind = classify(failure.error);
    if (!this.isRetryable(kind, token, failure)) return { retry: false, kind, reason: 'not retryable' };
    if ((failure.noAmbiguousRetry || !this.retryAmbiguous) && isAmbiguous(failure.error))
      return { retry: false, kind, reason: 'ambiguous' };
    if (failure.attempts >= this.maxAttempts) return { retry: false, kind, reason: 'attempts' };
    const cost = kind === 'throttling' ? THROTTLING_RETRY_COST : RETRY_COST;
    if (this.tokens < cost) return { retry: false, kind, reason: 'quota' };
    const backoff = fullJitter(token.retries, kind === 'throttling' ? this.throttlingBase : this.base, this.cap, this.random);
    const delay = boundedByHint(backoff, failure.retryHintMs);
    // Charged only for a retry that will be made (smithy charges when it hands out the retry token).
    if (failure.remainingMs !== undefined && delay >= failure.remainingMs) return { retry: false, kind, reason: 'deadline' };
    this.tokens -= cost;
    token.retries++;
    token.lastCost = cost;
    if (kind === 'clock-skew' || kind === 'expired-token') token.onceUsed.add(kind);
    return { retry: true, kind, delay };
  }

  /** Whether any retry could follow this attempt (attempts and quota left): spares work that would be wasted. */
  mayRetry(attempts: number): boolean {
    return attempts < this.maxAttempts && this.tokens >= THROTTLING_RETRY_COST;
  }

  /** The call succeeded: +1 token without retries, else the last retry's cost back (capped at 500). */
  recordSuccess(token: RetryToken): void {
    this.tokens = Math.min(INITIAL_RETRY_TOKENS, this.tokens + (token.lastCost ?? NO_RETRY_INCREMENT));
  }

  private isRetryable(kind: FailureKind, token: RetryToken, failure: FailedAttempt): boolean {
    switch (kind) {
      case 'throttling':
      case 'transient':
        return true;
      case 'clock-skew':
        return failure.clockCorrected === true && !token.onceUsed.has(kind);
      case 'expired-token':
        return failure.canRefreshCredentials === true && !token.onceUsed.has(kind);
      case 'permanent':
        return false;
    }
  }
}
