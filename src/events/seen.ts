/**
 * Redelivery detection: SNS delivers a message again (same `MessageId`) when an answer is slow, lost
 * or not 2xx. Only a message whose handling succeeded counts as seen:
 *
 * 1. the receiver asks `seen(id)`, which checks and claims the id in one step: `false` (new; now
 *    claimed, "in progress"), `true` (handled already: a duplicate, answered 200), or `'pending'`
 *    (claimed by a delivery still being handled, e.g. on another receiver: answered 503 so that SNS
 *    delivers again later, `ESNSINFLIGHT`);
 * 2. when `onEvent` succeeded the receiver calls `markSeen(id)` (the claim becomes "handled"); when it
 *    failed, `forget(id)` (the claim is given back, so SNS's next delivery is handled).
 *
 * The default keeps ids in memory, in a bounded LRU, for as long as a message can be accepted
 * (`maxAgeMs`): an older redelivery is refused by its Timestamp anyway.
 */

/** What `seen(id)` answers: `false` new (claimed now), `true` already handled, `'pending'` being handled. */
export type SeenState = boolean | 'pending';

/** A store (e.g. `RedisSeenStore` from `nodemailer-ses-query/redis`, shared by a fleet of receivers). */
export interface SeenStore {
  /** Checks and claims `snsMessageId`: `false` when new (now claimed), `true` when already handled, `'pending'` when claimed and not finished. */
  seen(snsMessageId: string): SeenState | Promise<SeenState>;
  /** Handling succeeded: the claim now means "handled". A store without it counts a claim as handled. */
  markSeen?(snsMessageId: string): void | Promise<void>;
  /** Handling failed: gives the claim back, so that the next delivery is handled. */
  forget?(snsMessageId: string): void | Promise<void>;
}

/**
 * `seen` as the receiver takes it: a store, or a bare function `(snsMessageId) => boolean` (true:
 * already handled). A bare function is never told whether handling succeeded; if it records the id
 * when asked, a message whose `onEvent` failed would look handled on SNS's next delivery. The
 * receiver therefore remembers (in memory, in this process) the ids whose handling failed here and
 * handles their next delivery whatever the function says; a redelivery that reaches another process
 * is still lost. Record ids in `onEvent` after your work succeeded and let the function only check,
 * or pass a store with `markSeen`/`forget` (such as `RedisSeenStore`).
 */
export type SeenOption = SeenStore | ((snsMessageId: string) => boolean | Promise<boolean>);

const CLAIM_TTL_MS = 5 * 60_000;

/** The store for a `seen` option; `ttlMs`: how long a failure here is remembered for a bare function. */
export function toSeenStore(option: SeenOption, ttlMs: number): SeenStore {
  if (typeof option !== 'function') return option;
  const failed = new MemorySeenStore(ttlMs);
  return {
    async seen(id) {
      const answer = await option(id);
      // A delivery whose handling failed here: handled again, even if the function recorded it when asked.
      return failed.has(id) ? false : answer === true;
    },
    markSeen(id) {
      failed.forget(id);
    },
    forget(id) {
      failed.add(id);
    },
  };
}

interface Entry {
  at: number;
  state: 'pending' | 'done';
}

/**
 * The default store: ids in memory, claimed ("pending") until `markSeen` or `forget`, handled ("done")
 * for `ttlMs`. A claim not finished within `claimTtlMs` lapses (a crashed handler does not block an id).
 */
export class MemorySeenStore implements SeenStore {
  private readonly ids = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly claimTtlMs = CLAIM_TTL_MS,
  ) {}

  private live(id: string, now: number): Entry | undefined {
    const e = this.ids.get(id);
    if (!e) return undefined;
    if (now - e.at < (e.state === 'done' ? this.ttlMs : this.claimTtlMs)) return e;
    this.ids.delete(id);
    return undefined;
  }

  private put(id: string, state: Entry['state'], now: number): void {
    this.ids.delete(id);
    this.ids.set(id, { at: now, state });
    // Oldest first: drop expired entries and anything over the bound.
    for (const [key, e] of this.ids) {
      if (this.ids.size <= this.maxEntries && now - e.at < this.ttlMs) break;
      this.ids.delete(key);
    }
  }

  seen(id: string): SeenState {
    const now = Date.now();
    const e = this.live(id, now);
    if (e) return e.state === 'done' ? true : 'pending';
    this.put(id, 'pending', now);
    return false;
  }

  markSeen(id: string): void {
    this.put(id, 'done', Date.now());
  }

  forget(id: string): void {
    this.ids.delete(id);
  }

  /** @internal An id recorded (any state) and not expired. */
  has(id: string): boolean {
    return this.live(id, Date.now()) !== undefined;
  }

  /** @internal Records `id` as handled. */
  add(id: string): void {
    this.markSeen(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
