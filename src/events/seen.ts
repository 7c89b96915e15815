/**
 * Redelivery detection: SNS delivers a message again (same `MessageId`) when an answer is slow or
 * lost. A store answers "was this id claimed already?" and claims it in the same step; `forget` gives
 * a claim back when handling failed, so that SNS's next delivery is handled. The default keeps ids in
 * memory, in a bounded LRU, for as long as a message can be accepted (`maxAgeMs`): an older
 * redelivery is refused by its Timestamp anyway.
 */

/** A shared store (e.g. `RedisSeenStore` from `nodemailer-ses-query/redis`) for a fleet of receivers. */
export interface SeenStore {
  /** Claims `snsMessageId`; true when it was already claimed (a redelivery). */
  seen(snsMessageId: string): boolean | Promise<boolean>;
  /** Gives a claim back (handling failed). */
  forget?(snsMessageId: string): void | Promise<void>;
}

/** `seen` as the receiver takes it: a store, or a bare function (claim-and-check, cannot be given back). */
export type SeenOption = SeenStore | ((snsMessageId: string) => boolean | Promise<boolean>);

export function toSeenStore(option: SeenOption): SeenStore {
  return typeof option === 'function' ? { seen: option } : option;
}

export class MemorySeenStore implements SeenStore {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  seen(id: string): boolean {
    const now = Date.now();
    const at = this.ids.get(id);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.ids.delete(id);
    this.ids.set(id, now);
    // Oldest first: drop expired entries and anything over the bound.
    for (const [key, t] of this.ids) {
      if (this.ids.size <= this.maxEntries && now - t < this.ttlMs) break;
      this.ids.delete(key);
    }
    return false;
  }

  forget(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
