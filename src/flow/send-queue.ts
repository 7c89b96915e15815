/**
 * The flow of messages through one transport: in order, at most `maxConnections` in flight, each
 * started only when the rate limiter allows; abort while queued or running; `close()` that lets
 * everything given finish; and the `idle` signal for Nodemailer's "send while idle" loop. No polling.
 *
 * A task may come with a `ready` promise (the message being mapped and checked): it keeps its place
 * in the queue meanwhile, the limiter is charged the cost `ready` resolves with (SES counts
 * recipients), and when `ready` rejects the task is refused at once, without waiting for its turn.
 */
import { abortError } from '../abort.js';
import { LocalCodes, SesError } from '../errors.js';
import type { RateLimiter } from './rate-limiter.js';

export interface SendQueueOptions {
  /** Tasks running at once. Default 16. */
  maxConnections?: number;
  rateLimiter?: RateLimiter;
  /** Called when capacity frees and a new task would start at once. */
  onIdle?: () => void;
}

interface Entry {
  run: (signal: AbortSignal | undefined) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** The caller's signal, handed to the task as is: no controller (and no listeners) when there is none. */
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  started: boolean;
  /** Until `ready` resolves, the entry holds its place but cannot start. */
  preparing: boolean;
  /** What the rate limiter is charged for this task. */
  cost: number;
}

export class SendQueue {
  private readonly max: number;
  private readonly limiter: RateLimiter | undefined;
  private readonly onIdle: (() => void) | undefined;
  private readonly waiting: Entry[] = [];
  private running = 0;
  private pumping = false;
  private closed = false;
  private idleCheckQueued = false;
  private drained: (() => void) | undefined;

  constructor(options: SendQueueOptions = {}) {
    this.max = options.maxConnections ?? 16;
    this.limiter = options.rateLimiter;
    this.onIdle = options.onIdle;
  }

  get pending(): number {
    return this.waiting.length;
  }

  get inFlight(): number {
    return this.running;
  }

  /**
   * Runs `task` in its turn. Rejects `ECLOSED` after `close()`, `EABORT` (or the signal's SesError
   * reason) when aborted while queued; a running task gets the same signal to cancel its request.
   */
  run<T>(task: (signal: AbortSignal | undefined) => Promise<T>, signal?: AbortSignal, ready?: Promise<number>): Promise<T> {
    if (this.closed) {
      return Promise.reject(
        new SesError('The transport is closed; no new messages are taken', { code: LocalCodes.CLOSED, retryable: false, attempts: 0 }),
      );
    }
    if (signal?.aborted) return Promise.reject(abortError(signal, 0));
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        run: task,
        resolve: resolve as (value: unknown) => void,
        reject,
        signal,
        onAbort: undefined,
        started: false,
        preparing: ready !== undefined,
        cost: 1,
      };
      if (signal) {
        entry.onAbort = () => this.drop(entry, abortError(signal, 0));
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.waiting.push(entry);
      ready?.then(
        (cost) => {
          entry.preparing = false;
          entry.cost = cost;
          void this.pump();
        },
        (err: unknown) => this.drop(entry, err),
      );
      void this.pump();
    });
  }

  /** Takes a task that has not started out of the queue and rejects it. */
  private drop(entry: Entry, err: unknown): void {
    if (entry.started) return;
    const i = this.waiting.indexOf(entry);
    if (i === -1) return;
    this.waiting.splice(i, 1);
    this.detach(entry);
    entry.reject(err);
    this.settled();
    void this.pump();
  }

  /** True when a new task would start at once. */
  isIdle(): boolean {
    return !this.closed && this.waiting.length === 0 && this.running < this.max && (!this.limiter || this.limiter.isReady());
  }

  /** Takes no new tasks; resolves once every queued and running task has finished. */
  close(): Promise<void> {
    this.closed = true;
    if (this.waiting.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.drained;
      this.drained = () => {
        previous?.();
        resolve();
      };
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length > 0 && this.running < this.max) {
        const entry = this.waiting[0]!;
        if (entry.preparing) break; // resumed when it is ready or refused
        if (this.limiter) {
          try {
            await this.limiter.acquire(entry.signal, entry.cost);
          } catch (err) {
            if (this.waiting[0] === entry) {
              this.waiting.shift();
              entry.reject(err);
              this.detach(entry);
              this.settled();
            }
            continue;
          }
          if (this.waiting[0] !== entry) continue; // aborted as the token came
        }
        this.waiting.shift();
        this.start(entry);
      }
    } finally {
      this.pumping = false;
    }
  }

  private start(entry: Entry): void {
    entry.started = true;
    this.running++;
    let task: Promise<unknown>;
    try {
      task = entry.run(entry.signal);
    } catch (err) {
      task = Promise.reject(err);
    }
    task.then(entry.resolve, entry.reject).finally(() => {
      this.running--;
      this.detach(entry);
      this.settled();
      void this.pump();
    });
  }

  private detach(entry: Entry): void {
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
  }

  /** After a task left: resolve `close()` when all is done, and tell idle listeners about freed capacity. */
  private settled(): void {
    if (this.closed && this.waiting.length === 0 && this.running === 0) {
      const drained = this.drained;
      this.drained = undefined;
      drained?.();
      return;
    }
    this.queueIdleCheck();
  }

  private queueIdleCheck(): void {
    if (!this.onIdle || this.idleCheckQueued) return;
    this.idleCheckQueued = true;
    setImmediate(() => {
      this.idleCheckQueued = false;
      if (this.isIdle()) this.onIdle!();
      else if (!this.closed && this.waiting.length === 0 && this.running < this.max && this.limiter) {
        this.limiter.onceReady(() => this.queueIdleCheck());
      }
    });
  }
}
