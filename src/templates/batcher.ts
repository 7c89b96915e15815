/**
 * Groups compatible messages given close together into batches, without the caller writing any of
 * it. A group starts with its first message and is handed on when it holds `maxDestinations`
 * messages, when the next message would push its data over `maxBytes`, or `maxWaitMs` after it
 * started, whichever comes first: no message waits longer than `maxWaitMs` for company.
 *
 * Each `add()` settles with that message's own outcome. A message whose signal aborts while it waits
 * (in its group, or in a batch not yet started) leaves alone: the others go on without it. Once a
 * batch's request has started, an abort of one member no longer changes the request (it carries the
 * others too) and that member gets its real outcome; only when every member has aborted is the
 * request itself aborted. Knows nothing of SES: what a batch does is the injected `send`.
 */
import { LocalCodes, SesError } from '../errors.js';
import { abortError } from '../abort.js';

export interface BatchItemInput<M> {
  message: M;
  /** Groups only messages with equal keys. */
  key: string;
  /** Counted against `maxBytes`. */
  bytes: number;
  /** Recipients (the rate limiter's unit). */
  recipients: number;
  signal?: AbortSignal;
  /** Absolute ms after which the message may not be sent. */
  deadline?: number;
}

/** One member's outcome, aligned with the list `start()` returned. */
export type BatchResult<R> = { value: R } | { error: unknown };

/** A batch handed to `send`: members can still leave until `start()`. */
export interface Batch<M> {
  /** Aborts when every member has left (before start) or aborted (after start). */
  readonly signal: AbortSignal;
  /** The latest member deadline, or undefined when one member has none. */
  readonly deadline: number | undefined;
  /** Recipients of the members at hand-over. */
  readonly recipients: number;
  readonly size: number;
  /** Freezes the membership: the messages the request carries, in order. */
  start(): M[];
}

export interface BatcherOptions<M, R> {
  maxWaitMs: number;
  maxDestinations: number;
  maxBytes: number;
  /** Sends a batch; resolves with one result per started member, or rejects for all of them. */
  send(batch: Batch<M>): Promise<Array<BatchResult<R>>>;
  /** Timers; tests may pass their own. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

interface Item<M, R> extends BatchItemInput<M> {
  resolve(value: R): void;
  reject(err: unknown): void;
  onAbort?: () => void;
  group: Group<M, R>;
}

interface Group<M, R> {
  key: string;
  items: Array<Item<M, R>>;
  bytes: number;
  timer: unknown;
  /** Set when the group is handed to `send`. */
  controller?: AbortController;
  started: boolean;
  aborted: number;
}

export class Batcher<M, R> {
  private readonly open = new Map<string, Group<M, R>>();
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: BatcherOptions<M, R>) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  }

  /** Messages waiting for company (not yet handed on). */
  get waiting(): number {
    let n = 0;
    for (const g of this.open.values()) n += g.items.length;
    return n;
  }

  add(input: BatchItemInput<M>): Promise<R> {
    if (input.signal?.aborted) return Promise.reject(abortError(input.signal, 0));
    return new Promise<R>((resolve, reject) => {
      let group = this.open.get(input.key);
      if (group && group.bytes + input.bytes > this.options.maxBytes) {
        this.handOver(group);
        group = undefined;
      }
      if (!group) {
        group = { key: input.key, items: [], bytes: 0, timer: undefined, started: false, aborted: 0 };
        const g = group;
        g.timer = this.setTimer(() => this.handOver(g), this.options.maxWaitMs);
        this.open.set(input.key, g);
      }
      const item: Item<M, R> = { ...input, resolve, reject, group };
      if (input.signal) {
        const signal = input.signal;
        item.onAbort = () => this.abortItem(item, signal);
        signal.addEventListener('abort', item.onAbort, { once: true });
      }
      group.items.push(item);
      group.bytes += input.bytes;
      if (group.items.length >= this.options.maxDestinations) this.handOver(group);
    });
  }

  /** Hands every waiting group on now (for close). */
  flush(): void {
    for (const group of [...this.open.values()]) this.handOver(group);
  }

  private abortItem(item: Item<M, R>, signal: AbortSignal): void {
    const group = item.group;
    if (group.started) {
      // The request carries the others too: it goes on unless every member has aborted.
      if (++group.aborted === group.items.length) group.controller?.abort(signal.reason);
      return;
    }
    const i = group.items.indexOf(item);
    if (i === -1) return;
    group.items.splice(i, 1);
    group.bytes -= item.bytes;
    item.reject(abortError(signal, 0));
    if (group.items.length > 0) return;
    if (group.controller) group.controller.abort(signal.reason);
    else this.close(group);
  }

  private close(group: Group<M, R>): void {
    this.clearTimer(group.timer);
    if (this.open.get(group.key) === group) this.open.delete(group.key);
  }

  private handOver(group: Group<M, R>): void {
    this.close(group);
    if (group.controller || group.items.length === 0) return;
    const controller = (group.controller = new AbortController());
    const items = group.items;
    let deadline: number | undefined = 0;
    let recipients = 0;
    for (const item of items) {
      recipients += item.recipients;
      if (deadline !== undefined) deadline = item.deadline === undefined ? undefined : Math.max(deadline, item.deadline);
    }
    let members: Array<Item<M, R>> = [];
    const batch: Batch<M> = {
      signal: controller.signal,
      deadline,
      recipients,
      size: items.length,
      start: () => {
        group.started = true;
        members = [...group.items];
        return members.map((m) => m.message);
      },
    };
    let sent: Promise<Array<BatchResult<R>>>;
    try {
      sent = this.options.send(batch);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      (results) => {
        members.forEach((item, i) => {
          const result = results[i];
          if (result && 'value' in result) item.resolve(result.value);
          else
            item.reject(
              result ? result.error : new SesError('No result for this message', { code: LocalCodes.PROTOCOL, retryable: false }),
            );
        });
        this.detachAll(group);
      },
      (err: unknown) => {
        // Before start: those still in the batch; after: every member of the request.
        for (const item of group.started ? members : group.items) item.reject(err);
        this.detachAll(group);
      },
    );
  }

  private detachAll(group: Group<M, R>): void {
    for (const item of group.items) if (item.onAbort) item.signal?.removeEventListener('abort', item.onAbort);
  }
}
