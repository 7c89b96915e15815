// RedisSeenStore against a real redis-server (skipped when the binary is absent): one redelivery check
// for a fleet of receivers, with both client libraries; a failed handling gives its claim back; Redis
// away means handling, not dropping.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { RedisSeenStore } from '../../src/redis/index.js';
import { SesEventReceiver, type SesEvent } from '../../src/events/index.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { TOPIC, startFakeSns, type FakeSns } from './support/fake-sns.js';

const hasRedis = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const payload = JSON.stringify({ notificationType: 'Delivery', mail: { messageId: 'ses-1', timestamp: new Date().toISOString(), source: 'a@example.com', destination: ['b@example.com'] }, delivery: { recipients: ['b@example.com'] } });

describe.skipIf(!hasRedis)('RedisSeenStore', () => {
  let redis: RedisServer;
  let sns: FakeSns;
  let io: Redis;
  let nodeRedis: ReturnType<typeof createClient>;
  beforeAll(async () => {
    redis = await startRedis();
    sns = await startFakeSns();
    io = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    io.on('error', () => {});
    await io.connect();
    nodeRedis = createClient({ url: redis.url });
    nodeRedis.on('error', () => {}); // the test stops Redis on purpose
    await nodeRedis.connect();
  });
  afterAll(async () => {
    io?.disconnect();
    await nodeRedis?.disconnect().catch(() => {});
    await sns?.close();
    await redis?.dispose();
  });

  it.each(['ioredis', 'node-redis'] as const)('claims an id once, remembers it for ttlMs, and forgets it on request (%s)', async (lib) => {
    const store = new RedisSeenStore({ client: lib === 'ioredis' ? io : nodeRedis, keyPrefix: `t-${lib}`, ttlMs: 60_000 });
    expect(await store.seen('id-1')).toBe(false);
    expect(await store.seen('id-1')).toBe(true);
    const ttl = await io.pttl(`t-${lib}:id-1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.forget('id-1');
    expect(await store.seen('id-1')).toBe(false);
  });

  it('a redelivery to another receiver of the fleet is a duplicate; a failed handling is redone', async () => {
    const events: SesEvent[] = [];
    let fail = true;
    const make = (client: unknown) =>
      new SesEventReceiver({
        topicArns: [TOPIC],
        onEvent: (e) => {
          if (fail) {
            fail = false;
            throw new Error('first try fails');
          }
          events.push(e);
        },
        seen: new RedisSeenStore({ client, keyPrefix: 'fleet' }),
        isSnsUrl: (u) => sns.isSnsUrl(u),
        dispatcher: sns.dispatcher,
      });
    const a = make(io);
    const b = make(nodeRedis);
    const m = JSON.stringify(sns.signed({ Message: payload }));
    await expect(a.handle(m)).rejects.toThrow('first try fails');
    expect((await b.handle(m)).status).toBe('event');
    expect((await a.handle(m)).status).toBe('duplicate');
    expect(events).toHaveLength(1);
  });

  it('handles the message when Redis is unreachable (at least once, not dropped)', async () => {
    const store = new RedisSeenStore({ client: io, keyPrefix: 'down', commandTimeout: 500 });
    await redis.stop();
    try {
      expect(await store.seen('id-2')).toBe(false);
      await store.forget('id-2');
    } finally {
      await redis.start();
    }
  });
});
