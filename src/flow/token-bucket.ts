/**
 * The in-process rate limiter behind `sendingRate`: a token bucket, first come first served, with one
 * timer at most and only while someone waits. `rate: 'auto'` follows the account's `MaxSendRate`.
 */
import { LocalCodes, SesError } from '../errors.js';
import type { RateLimiter, RateLimiterContext } from './rate-limiter.js';
import { checkRate } from './rate.js';
import { ReadyWatch } from './ready-watch.js';

export interface TokenBucketOptions {
  /** Recipients per second (SES's unit), or `'auto'` for the account's `MaxSendRate` (1/s until it is known). */
  rate: number | 'auto';
  /** Messages that may go at once after a quiet spell. Default 1: evenly spaced sends. */
  burst?: number;
  /** How often `'auto'` re-reads the quota, ms. Default 10 minutes. */
  quotaRefreshMs?: number;
  /** How long `throttled()` halves the rate, ms. Default 10 s. */
  throttlePenaltyMs?: number;
  now?: () => number;
}

interface Waiter {
  cost: number;
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const AUTO_START_RATE = 1;

export class TokenBucketLimiter implements RateLimiter {
  private baseRate: number;
  private readonly auto: boolean;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly quotaRefreshMs: number;
  private readonly penaltyMs: number;
  private tokens: number;
  private last: number;
  private penaltyUntil = 0;
  private readonly waiters: Waiter[] = [];
  private readonly ready = new ReadyWatch();
  private timer: NodeJS.Timeout | undefined;
  private quotaTimer: NodeJS.Timeout | undefined;
  private context: RateLimiterContext | undefined;
  private closed = false;

  constructor(options: TokenBucketOptions) {
    const rate = checkRate(options.rate, 'sendingRate');
    this.auto = rate === 'auto';
    this.baseRate = rate === 'auto' ? AUTO_START_RATE : rate;
    this.burst = Math.max(1, options.burst ?? 1);
    this.now = options.now ?? Date.now;
    this.quotaRefreshMs = options.quotaRefreshMs ?? 10 * 60_000;
    this.penaltyMs = options.throttlePenaltyMs ?? 10_000;
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Messages per second in force now (halved for a while after SES throttled). */
  get rate(): number {
    return this.now() < this.penaltyUntil ? this.baseRate / 2 : this.baseRate;
  }

  attach(context: RateLimiterContext): void {
    this.context = context;
    if (this.auto) this.readQuota();
  }

  /**
   * One message of `cost` recipients. It goes once a whole token is there and may leave the bucket in
   * debt (a 50-recipient message at 14/s waits for the next one to be spaced accordingly), so the
   * average rate holds for any mix of message sizes.
   */
  acquire(signal?: AbortSignal, cost = 1): Promise<void> {
    if (this.closed) return Promise.reject(new SesError('The rate limiter is closed', { code: LocalCodes.CLOSED, retryable: false }));
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.refill();
    if (this.waiters.length === 0 && this.tokens >= 1) {
      this.tokens -= cost;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { cost, resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i !== -1) this.waiters.splice(i, 1);
          reject(signal.reason);
          if (this.waiters.length === 0) this.clearTimer();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  isReady(): boolean {
    if (this.closed) return false;
    this.refill();
    return this.waiters.length === 0 && this.tokens >= 1;
  }

  onceReady(listener: () => void): void {
    this.ready.add(listener);
    this.armReadyTimer();
  }

  throttled(): void {
    this.penaltyUntil = this.now() + this.penaltyMs;
    this.context?.logger.warn(
      { tnx: 'ratelimit', rate: this.rate },
      'SES throttled sending; slowing down to %s messages/s for %s ms',
      this.rate,
      this.penaltyMs,
    );
  }

  close(): void {
    this.closed = true;
    this.clearTimer();
    if (this.quotaTimer) clearTimeout(this.quotaTimer);
    this.quotaTimer = undefined;
    const err = new SesError('The rate limiter was closed', { code: LocalCodes.CLOSED, retryable: false });
    for (const w of this.waiters.splice(0)) {
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(err);
    }
    this.ready.clear();
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1000);
      this.last = now;
    }
  }

  private msUntilToken(): number {
    this.refill();
    return Math.max(0, Math.ceil(((1 - this.tokens) * 1000) / this.rate));
  }

  private schedule(): void {
    if (this.timer || this.waiters.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.release();
    }, this.msUntilToken());
  }

  private release(): void {
    this.refill();
    while (this.waiters.length > 0 && this.tokens >= 1) {
      const w = this.waiters.shift()!;
      this.tokens -= w.cost;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve();
    }
    this.schedule();
    this.armReadyTimer();
  }

  /**
   * While nobody waits no send timer runs, so one unref'd timer tells the ready listeners when a
   * token is back. While someone waits, `release()` re-arms it once the waiters are served.
   */
  private armReadyTimer(): void {
    if (this.closed || this.waiters.length > 0 || !this.ready.needsCheck) return;
    this.ready.recheckIn(this.msUntilToken(), () => {
      if (this.isReady()) this.ready.fire();
      else this.armReadyTimer();
    });
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readQuota(): void {
    const context = this.context;
    if (!context || this.closed) return;
    context
      .getSendQuota()
      .then(
        (quota) => {
          if (Number.isFinite(quota.maxSendRate) && quota.maxSendRate > 0) {
            this.baseRate = quota.maxSendRate;
            context.logger.info(
              { tnx: 'ratelimit', rate: this.baseRate },
              'Sending rate follows SES MaxSendRate: %s messages/s',
              this.baseRate,
            );
          }
        },
        (err: unknown) => {
          context.logger.warn(
            { tnx: 'ratelimit' },
            'Reading the SES quota failed (%s); keeping %s messages/s',
            (err as Error)?.message,
            this.baseRate,
          );
        },
      )
      .finally(() => {
        if (this.closed) return;
        this.quotaTimer = setTimeout(() => this.readQuota(), this.quotaRefreshMs);
        this.quotaTimer.unref();
      });
  }
}
