/**
 * SNS redelivery detection shared by a fleet of `SesEventReceiver`s (from `nodemailer-ses-query/events`).
 * Each MessageId has one key, in one of two states:
 * - `pending:<claim>`: a receiver claimed it (`SET NX PX claimTtlMs`, in a script that reads the key in
 *   the same step) and is handling it. Another receiver that gets the same message now is told
 *   `'pending'` and answers 503 (`ESNSINFLIGHT`), so SNS delivers it again later. A claim whose
 *   receiver died lapses after `claimTtlMs`.
 * - `done`: handling succeeded (`markSeen`: `SET done PX ttlMs`); later deliveries are duplicates.
 * When handling fails the claim is given back (`forget`: DEL, only if the key still holds this claim),
 * so SNS's next delivery is handled. When Redis cannot be reached the message is handled (at least
 * once rather than not at all).
 */
import { randomUUID } from 'node:crypto';
import { LocalCodes, SesError } from '../errors.js';
import type { SeenState, SeenStore } from '../events/seen.js';
import { createLogger, type Logger, type LoggerOption } from '../logger.js';
import { adaptRedisClient, type RedisCommands } from './client-adapter.js';
import { withTimeout } from './with-timeout.js';

export interface RedisSeenStoreOptions {
  /** An ioredis client or a node-redis (v4+) client, connected by you; never quit by this store. */
  client: unknown;
  /** Key prefix; receivers that share it share what they have seen. Default `ses-events:seen`. */
  keyPrefix?: string;
  /** How long a handled id is remembered, ms: at least the receivers' `maxAgeMs`. Default 2 hours. */
  ttlMs?: number;
  /** How long a claim lasts without `markSeen` or `forget`, ms: longer than `onEvent` takes. Default 5 minutes. */
  claimTtlMs?: number;
  /** Milliseconds a Redis command may take before Redis counts as unreachable. Default 1000. */
  commandTimeout?: number;
  logger?: LoggerOption;
}

// 0: claimed now; 1: claimed by another delivery, not finished; 2: handled (also a key written by an
// earlier version of this store, which held "1").
const CLAIM_SCRIPT = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 8) == 'pending:' then return 1 end
return 2`;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class RedisSeenStore implements SeenStore {
  private readonly redis: RedisCommands;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly claimTtlMs: number;
  private readonly commandTimeout: number;
  private readonly logger: Logger;
  /** Claims this store holds: id → the value it wrote. */
  private readonly claims = new Map<string, string>();

  constructor(options: RedisSeenStoreOptions) {
    const config = (message: string) => new SesError(message, { code: LocalCodes.CONFIG, retryable: false });
    this.redis = adaptRedisClient(options.client);
    this.prefix = options.keyPrefix ?? 'ses-events:seen';
    this.ttlMs = options.ttlMs ?? 2 * 3600_000;
    if (!(Number.isInteger(this.ttlMs) && this.ttlMs > 0)) throw config('RedisSeenStore "ttlMs" must be a positive integer');
    this.claimTtlMs = options.claimTtlMs ?? 5 * 60_000;
    if (!(Number.isInteger(this.claimTtlMs) && this.claimTtlMs > 0)) throw config('RedisSeenStore "claimTtlMs" must be a positive integer');
    this.commandTimeout = options.commandTimeout ?? 1000;
    this.logger = createLogger(options.logger, 'ses-events-redis');
  }

  private key(id: string): string {
    return `${this.prefix}:${id}`;
  }

  async seen(snsMessageId: string): Promise<SeenState> {
    const claim = `pending:${randomUUID()}`;
    // Recorded before the script runs: when the command times out, the script may still set the claim
    // in Redis, and `forget` must then be able to give it back (it deletes only this exact value).
    this.claims.set(snsMessageId, claim);
    try {
      const answer = Number(
        await withTimeout(
          this.redis.evalScript(CLAIM_SCRIPT, [this.key(snsMessageId)], [claim, String(this.claimTtlMs)]),
          this.commandTimeout,
        ),
      );
      if (answer === 0) return false;
      this.claims.delete(snsMessageId);
      return answer === 1 ? 'pending' : true;
    } catch (err) {
      this.logger.warn(
        { tnx: 'sns' },
        'Redis unreachable (%s); handling SNS message %s without redelivery check',
        (err as Error)?.message,
        snsMessageId,
      );
      return false;
    }
  }

  async markSeen(snsMessageId: string): Promise<void> {
    this.claims.delete(snsMessageId);
    try {
      await withTimeout(this.redis.setPx(this.key(snsMessageId), 'done', this.ttlMs), this.commandTimeout);
    } catch (err) {
      this.logger.warn(
        { tnx: 'sns' },
        'Redis unreachable (%s); SNS message %s handled but not recorded: a redelivery may be handled again',
        (err as Error)?.message,
        snsMessageId,
      );
    }
  }

  async forget(snsMessageId: string): Promise<void> {
    const claim = this.claims.get(snsMessageId);
    this.claims.delete(snsMessageId);
    if (claim === undefined) return;
    try {
      await withTimeout(this.redis.evalScript(RELEASE_SCRIPT, [this.key(snsMessageId)], [claim]), this.commandTimeout);
    } catch (err) {
      this.logger.warn(
        { tnx: 'sns' },
        'Redis unreachable (%s); SNS message %s stays claimed for up to %d ms (redeliveries are answered 503 until then)',
        (err as Error)?.message,
        snsMessageId,
        this.claimTtlMs,
      );
    }
  }
}
