/**
 * SNS redelivery detection shared by a fleet of `SesEventReceiver`s (from `nodemailer-ses-query/events`):
 * the first receiver to see an SNS MessageId claims it in Redis (`SET key 1 NX PX ttl`), the others
 * answer "duplicate". When handling fails the claim is given back (`DEL`), so SNS's next delivery is
 * handled. When Redis cannot be reached the message is handled (at least once rather than not at all).
 */
import { LocalCodes, SesError } from '../errors.js';
import type { SeenStore } from '../events/seen.js';
import { createLogger, type Logger, type LoggerOption } from '../logger.js';
import { adaptRedisClient, type RedisCommands } from './client-adapter.js';

export interface RedisSeenStoreOptions {
  /** An ioredis client or a node-redis (v4+) client, connected by you; never quit by this store. */
  client: unknown;
  /** Key prefix; receivers that share it share what they have seen. Default `ses-events:seen`. */
  keyPrefix?: string;
  /** How long an id is remembered, ms: at least the receivers' `maxAgeMs`. Default 2 hours. */
  ttlMs?: number;
  /** Milliseconds a Redis command may take before Redis counts as unreachable. Default 1000. */
  commandTimeout?: number;
  logger?: LoggerOption;
}

const DEL_SCRIPT = "return redis.call('DEL', KEYS[1])";

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export class RedisSeenStore implements SeenStore {
  private readonly redis: RedisCommands;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly commandTimeout: number;
  private readonly logger: Logger;

  constructor(options: RedisSeenStoreOptions) {
    this.redis = adaptRedisClient(options.client);
    this.prefix = options.keyPrefix ?? 'ses-events:seen';
    this.ttlMs = options.ttlMs ?? 2 * 3600_000;
    if (!(Number.isInteger(this.ttlMs) && this.ttlMs > 0)) throw new SesError('RedisSeenStore "ttlMs" must be a positive integer', { code: LocalCodes.CONFIG, retryable: false });
    this.commandTimeout = options.commandTimeout ?? 1000;
    this.logger = createLogger(options.logger, 'ses-events-redis');
  }

  private key(id: string): string {
    return `${this.prefix}:${id}`;
  }

  async seen(snsMessageId: string): Promise<boolean> {
    try {
      const claimed = await withTimeout(this.redis.setPx(this.key(snsMessageId), '1', this.ttlMs, true), this.commandTimeout);
      return !claimed;
    } catch (err) {
      this.logger.warn({ tnx: 'sns' }, 'Redis unreachable (%s); handling SNS message %s without redelivery check', (err as Error)?.message, snsMessageId);
      return false;
    }
  }

  async forget(snsMessageId: string): Promise<void> {
    try {
      await withTimeout(this.redis.evalScript(DEL_SCRIPT, [this.key(snsMessageId)], []), this.commandTimeout);
    } catch (err) {
      this.logger.warn({ tnx: 'sns' }, 'Redis unreachable (%s); SNS message %s stays claimed until it expires', (err as Error)?.message, snsMessageId);
    }
  }
}
