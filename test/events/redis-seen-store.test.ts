// RedisSeenStore against a real redis-server (skipped when the binary is absent): one redelivery check
// for a fleet of receivers, with both client libraries; a failed handling gives its claim back; Redis
// away means handling, not dropping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { RedisSeenStore } from '../../src/redis/index.js';
import { SesEventReceiver, type SesEvent } from '../../src/events/index.js';
import { hasRedis, startRedis, type RedisServer } from '../support/redis-server.js';
import { TOPIC, startFakeSns, type FakeSns } from './support/fake-sns.js';

const payload = JSON.stringify({
  notificationType: 'Delivery',
  mail: { messageId: 'ses-1', timestamp: new Date().toISOString(), source: 'a@example.com', destination: ['b@example.com'] },
  delivery: { recipients: ['b@example.com'] },
});

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

  it.each(['ioredis', 'node-redis'] as const)(
    'claims an id (pending, claimTtlMs), marks it done (ttlMs), forgets a failed claim (%s)',
    async (lib) => {
      const client = lib === 'ioredis' ? io : nodeRedis;
      const store = new RedisSeenStore({ client, keyPrefix: `t-${lib}`, ttlMs: 60_000, claimTtlMs: 10_000 });
      const other = new RedisSeenStore({ client, keyPrefix: `t-${lib}`, ttlMs: 60_000, claimTtlMs: 10_000 });
      expect(await store.seen('id-1')).toBe(false);
      expect(await other.seen('id-1')).toBe('pending');
      const claimTtl = await io.pttl(`t-${lib}:id-1`);
      expect(claimTtl).toBeGreaterThan(0);
      expect(claimTtl).toBeLessThanOrEqual(10_000);
      // Another receiver's forget does not release a claim it does not hold.
      await other.forget('id-1');
      expect(await other.seen('id-1')).toBe('pending');
      await store.forget('id-1');
      expect(await other.seen('id-1')).toBe(false);
      await other.markSeen('id-1');
      expect(await io.get(`t-${lib}:id-1`)).toBe('done');
      const ttl = await io.pttl(`t-${lib}:id-1`);
      expect(ttl).toBeGreaterThan(10_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await store.seen('id-1')).toBe(true);
      // A failed handling after done does not erase done.
      await store.forget('id-1');
      expect(await store.seen('id-1')).toBe(true);
    },
  );

  it('a redelivery to another receiver while the first is still handling it is refused as retryable (ESNSINFLIGHT)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const started = new Promise<void>((resolve) => (entered = resolve));
    const handled: string[] = [];
    const make = (client: unknown, name: string) =>
      new SesEventReceiver({
        topicArns: [TOPIC],
        onEvent: async () => {
          if (name === 'a') {
            entered();
            await gate;
          }
          handled.push(name);
        },
        seen: new RedisSeenStore({ client, keyPrefix: 'fleet-inflight' }),
        isSnsUrl: (u) => sns.isSnsUrl(u),
        dispatcher: sns.dispatcher,
      });
    const a = make(io, 'a');
    const b = make(nodeRedis, 'b');
    const m = JSON.stringify(sns.signed({ Message: payload }));
    const first = a.handle(m);
    await started;
    await expect(b.handle(m)).rejects.toMatchObject({ code: 'ESNSINFLIGHT', retryable: true });
    release();
    expect((await first).status).toBe('event');
    expect((await b.handle(m)).status).toBe('duplicate');
    expect(handled).toEqual(['a']);
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

  it('gives back a claim whose command timed out (Redis slow), so the redelivery after a failure is handled', async () => {
    const admin = new Redis(redis.url);
    let calls = 0;
    const receiver = new SesEventReceiver({
      topicArns: [TOPIC],
      onEvent: () => {
        if (++calls === 1) throw new Error('db down');
      },
      seen: new RedisSeenStore({ client: io, keyPrefix: 'slow', commandTimeout: 200 }),
      isSnsUrl: (u) => sns.isSnsUrl(u),
      dispatcher: sns.dispatcher,
    });
    const m = JSON.stringify(sns.signed({ Message: payload }));
    try {
      // Redis answers nothing for 600 ms: the claim times out here, but runs in Redis afterwards.
      await admin.call('CLIENT', 'PAUSE', '600', 'ALL');
      await expect(receiver.handle(m)).rejects.toThrow('db down');
      await new Promise((r) => setTimeout(r, 800));
      expect((await receiver.handle(m)).status).toBe('event');
      expect(calls).toBe(2);
    } finally {
      admin.disconnect();
    }
  });
});
