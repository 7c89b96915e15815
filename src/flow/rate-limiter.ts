/**
 * The interface every rate limiter implements: the in-process token bucket (`sendingRate`) and
 * shared ones such as the Redis limiter. The transport calls `acquire()` once per message, in the
 * order messages were given, just before the message's first HTTP attempt. A limiter the caller
 * passes in (`rateLimiter` option) belongs to the caller: the transport never closes it.
 */
export interface RateLimiterContext {
  /** Reads SES's quota (signed GetSendQuota). For `rate: 'auto'`. */
  getSendQuota(): Promise<{ max24HourSend: number; maxSendRate: number; sentLast24Hours: number }>;
  /** The transport's logger (Nodemailer convention: `logger.info({ tnx, component }, fmt, ...args)`). */
  logger: import('../logger.js').Logger;
}

export interface RateLimiter {
  /** Called once by the transport before first use. */
  attach?(context: RateLimiterContext): void;
  /**
   * Resolves when one message may start. Waiters are served first come, first served.
   * `cost` is the message's recipients (SES's sending rate counts recipients); default 1.
   * Rejects with `signal.reason` when the signal aborts while waiting (the slot is not consumed),
   * and with `ECLOSED` when the limiter is closed while waiting.
   */
  acquire(signal?: AbortSignal, cost?: number): Promise<void>;
  /** True when `acquire()` would resolve without waiting. Used for `isIdle()`. */
  isReady(): boolean;
  /**
   * Registers a listener fired (at most once per registration) when the limiter becomes ready
   * again after `isReady()` was false. Used for the transport's `idle` event; no polling.
   */
  onceReady(listener: () => void): void;
  /** SES answered `Throttling` (maximum sending rate exceeded): slow down. */
  throttled?(): void;
  /** Releases timers and connections it owns. Pending `acquire()`s reject. */
  close?(): void | Promise<void>;
}
