/**
 * One SES sending rate shared by every process that uses the same Redis key: each message reserves
 * the next fleet-wide slot atomically in Redis (see script.ts) and waits for it. When Redis cannot be
 * reached, sending goes on under a per-process fallback rate and returns to the shared rate once Redis
 * answers again; no message is lost or stuck because Redis went away.
 */
import { randomUUID } from 'node:crypto';
// From the package's main entry, not its files: the published entries are separate bundles, and they
// must share one SesError class for `instanceof` to hold.
import { LocalCodes, SesError } from '../errors.js';
import { TokenBucketLimiter } from '../flow/token-bucket.js';
import type { RateLimiter, RateLimiterContext } from '../flow/rate-limiter.js';
import { checkRate } from '../flow/rate.js';
import { ReadyWatch } from '../flow/ready-watch.js';
import { adaptRedisClient, type RedisCommands } from './client-adapter.js';
import { RESERVE_SCRIPT } from './script.js';
import { withTimeout } from './with-timeout.js';
import { sleep } from '../abort.js';

export interface RedisRateLimiterOptions {
  /** An ioredis client or a node-redis (v4+) client, connected by you; `close()` does not quit it. */
  client: unknown;
  /** The shared key (prefix); processes that share it share the rate. E.g. `ses:eu-west-1`. */
  key: string;
  /** Recipients per second (SES's unit) for the whole fleet, or `'auto'` for the account's `MaxSendRate`. */
  rate: number | 'auto';
  /** Per-process rate while Redis is unreachable. Default: the shared rate ÷ the last seen number of senders, else 1/s. */
  fallbackRate?: number;
  /** Milliseconds a Redis command may take before Redis counts as unreachable. Default 1000. */
  commandTimeout?: number;
  /** How long `throttled()` halves the fleet's rate, ms. Default 10 000. */
  throttlePenaltyMs?: number;
  /** How often `'auto'` re-reads the quota (one process at a time), ms. Default 10 minutes. */
  quotaRefreshMs?: number;
}

const HEARTBEAT_MS = 30_000;
const REDIS_RETRY_MS = 1000;
const AUTO_START_RATE = 1;

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: RedisCommands;
  private readonly keys: { next: string; penalty: string; rate: string; senders: string; lock: string };
  private readonly auto: boolean;
  private readonly id = randomUUID();
  private readonly commandTimeout: number;
  private readonly penaltyMs: number;
  private readonly quotaRefreshMs: number;
  private rate: number;
  private senders = 0;
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private nextLocal = 0;
  private fallback: TokenBucketLimiter | undefined;
  private retryRedisAt = 0;
  private readonly ready = new ReadyWatch();
  private quotaTimer: NodeJS.Timeout | undefined;
  private context: RateLimiterContext | undefined;
  private closed = false;
  private readonly closing = new AbortController();

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.redis = adaptRedisClient(options.client);
    if (typeof options.key !== 'string' || !options.key)
      throw new SesError('RedisRateLimiter needs a "key"', { code: LocalCodes.CONFIG, retryable: false });
    const rate = checkRate(options.rate, 'RedisRateLimiter "rate"');
    if (options.fallbackRate !== undefined && checkRate(options.fallbackRate, 'RedisRateLimiter "fallbackRate"') === 'auto') {
      throw new SesError('RedisRateLimiter "fallbackRate" must be a number', { code: LocalCodes.CONFIG, retryable: false });
    }
    this.auto = rate === 'auto';
    this.rate = rate === 'auto' ? AUTO_START_RATE : rate;
    // A hash tag keeps every key in one Redis Cluster slot, as a script needs.
    const k = `{${options.key}}`;
    this.keys = { next: `${k}:next`, penalty: `${k}:penalty`, rate: `${k}:rate`, senders: `${k}:senders`, lock: `${k}:quota-lock` };
    this.commandTimeout = options.commandTimeout ?? 1000;
    this.penaltyMs = options.throttlePenaltyMs ?? 10_000;
    this.quotaRefreshMs = options.quotaRefreshMs ?? 10 * 60_000;
  }

  /** True while sending goes on under the per-process fallback rate. */
  get usingFallback(): boolean {
    return this.fallback !== undefined;
  }

  attach(context: RateLimiterContext): void {
    this.context = context;
    if (this.auto) void this.refreshQuota();
  }

  acquire(signal?: AbortSignal, cost = 1): Promise<void> {
    if (this.closed) return Promise.reject(new SesError('The rate limiter is closed', { code: LocalCodes.CLOSED, retryable: false }));
    if (signal?.aborted) return Promise.reject(signal.reason);
    // Ends the wait when the caller aborts or the limiter is closed, whichever comes first.
    const ended = signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
    this.waiting++;
    return new Promise<void>((resolve, reject) => {
      const onEnd = () => reject(ended.reason);
      ended.addEventListener('abort', onEnd, { once: true });
      // One reservation at a time per process keeps this process's messages in order.
      const turn = this.chain.then(() => (ended.aborted ? undefined : this.reserveAndWait(ended, cost)));
      this.chain = turn.catch(() => {});
      turn.then(resolve, reject).finally(() => {
        ended.removeEventListener('abort', onEnd);
        this.waiting--;
        this.armReady();
      });
    });
  }

  isReady(): boolean {
    return !this.closed && this.waiting === 0 && Date.now() >= this.nextLocal;
  }

  onceReady(listener: () => void): void {
    this.ready.add(listener);
    this.armReady();
  }

  throttled(): void {
    void withTimeout(this.redis.setPx(this.keys.penalty, '1', this.penaltyMs), this.commandTimeout).catch(() => {});
    this.fallback?.throttled();
    this.context?.logger.warn({ tnx: 'ratelimit' }, 'SES throttled sending; the whole fleet halves its rate for %s ms', this.penaltyMs);
  }

  /** Rejects the waiting `acquire()`s with ECLOSED; no new reservation starts after this (one already running in Redis completes unused). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort(new SesError('The rate limiter was closed', { code: LocalCodes.CLOSED, retryable: false }));
    if (this.quotaTimer) clearTimeout(this.quotaTimer);
    this.quotaTimer = undefined;
    this.fallback?.close();
    this.ready.clear();
  }

  private async reserveAndWait(signal: AbortSignal, cost: number): Promise<void> {
    if (this.fallback && Date.now() < this.retryRedisAt) return this.fallback.acquire(signal, cost);
    let answer: unknown;
    try {
      answer = await withTimeout(
        this.redis.evalScript(
          RESERVE_SCRIPT,
          [this.keys.next, this.keys.penalty, this.keys.rate, this.keys.senders],
          [String(1000 / this.rate), this.auto ? 'auto' : 'fixed', this.id, String(HEARTBEAT_MS), String(cost)],
        ),
        this.commandTimeout,
      );
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      this.enterFallback(err);
      return this.fallback!.acquire(signal, cost);
    }
    const [wait, senders, interval] = (answer as unknown[]).map(Number) as [number, number, number];
    if (this.fallback) {
      this.fallback.close();
      this.fallback = undefined;
      this.context?.logger.info({ tnx: 'ratelimit' }, 'Redis is back; sending at the shared rate again');
    }
    this.senders = senders;
    if (this.auto && interval > 0) this.rate = 1000 / interval;
    this.nextLocal = Date.now() + wait + interval;
    // The slot is reserved: an abort while waiting for it gives it up unused.
    if (wait > 0) await sleep(wait, signal);
  }

  private enterFallback(err: unknown): void {
    this.retryRedisAt = Date.now() + REDIS_RETRY_MS;
    if (this.fallback) return;
    const rate = this.options.fallbackRate ?? (this.senders > 0 ? this.rate / this.senders : AUTO_START_RATE);
    this.fallback = new TokenBucketLimiter({ rate });
    this.context?.logger.warn(
      { tnx: 'ratelimit' },
      'Redis unreachable (%s); sending at %s messages/s in this process until it is back',
      (err as Error)?.message,
      rate,
    );
  }

  private armReady(): void {
    if (this.closed || !this.ready.needsCheck) return;
    if (this.isReady()) {
      queueMicrotask(() => this.ready.fire());
      return;
    }
    if (this.waiting > 0) return; // the running acquire re-arms when it settles
    this.ready.recheckIn(this.nextLocal - Date.now(), () => this.armReady());
  }

  private async refreshQuota(): Promise<void> {
    const context = this.context;
    if (!context || this.closed) return;
    try {
      const mine = await withTimeout(
        this.redis.setPx(this.keys.lock, this.id, Math.max(1000, this.quotaRefreshMs - 1000), true),
        this.commandTimeout,
      );
      if (mine) {
        const quota = await context.getSendQuota();
        if (Number.isFinite(quota.maxSendRate) && quota.maxSendRate > 0) {
          await withTimeout(this.redis.setPx(this.keys.rate, String(quota.maxSendRate), this.quotaRefreshMs * 3), this.commandTimeout);
          this.rate = quota.maxSendRate;
          context.logger.info({ tnx: 'ratelimit' }, 'Shared sending rate set from SES MaxSendRate: %s messages/s', quota.maxSendRate);
        }
      } else {
        const shared = Number(await withTimeout(this.redis.get(this.keys.rate), this.commandTimeout));
        if (shared > 0) this.rate = shared;
      }
    } catch (err) {
      context.logger.warn({ tnx: 'ratelimit' }, 'Could not refresh the shared sending rate (%s)', (err as Error)?.message);
    } finally {
      if (!this.closed) {
        this.quotaTimer = setTimeout(() => void this.refreshQuota(), this.quotaRefreshMs);
        this.quotaTimer.unref();
      }
    }
  }
}
