// The Redis rate limiter against a real redis-server: a fleet of processes shares one rate, Redis
// going away and coming back loses nothing, both client libraries work.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { RedisRateLimiter } from '../../src/redis/index.js';
import { startFakeSes, type FakeSes } from '../support/fake-ses.js';
import { hasRedis, startRedis, type RedisServer } from '../support/redis-server.js';

const sender = fileURLToPath(new URL('../support/redis-sender.mjs', import.meta.url));

function runSender(args: string[]): Promise<{ ok: number; failed: string[]; warnings: string[] }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [sender, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as { ok: number; failed: string[]; warnings: string[] });
    });
  });
}

/** The most requests any one-second window holds. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe.skipIf(!hasRedis)('RedisRateLimiter', () => {
  let redis: RedisServer;
  let fake: FakeSes;
  beforeAll(async () => {
    redis = await startRedis();
    fake = await startFakeSes();
  });
  afterAll(async () => {
    await fake?.close();
    await redis?.dispose();
  });

  it('shares rate 20 among 4 processes: all 200 messages arrive once, no second holds more than 25', async () => {
    const before = fake.accepted.length;
    const results = await Promise.all(
      [0, 1, 2, 3].map((p) => runSender([redis.url, 'fleet-a', '20', '50', fake.url, p % 2 ? 'node-redis' : 'ioredis', `p${p}`])),
    );
    expect(results.map((r) => r.ok)).toEqual([50, 50, 50, 50]);
    const accepted = fake.accepted.slice(before);
    const subjects = accepted.map((a) => a.request.params['Message.Subject.Data']);
    expect(new Set(subjects).size).toBe(200);
    // Slots are reserved 50 ms apart; arrivals bunch a little when 4 processes share 2 busy cores.
    // Without the shared limiter the 4 senders would put about 80 into one second.
    expect(busiestSecond(accepted.map((a) => a.request.at))).toBeLessThanOrEqual(25);
  }, 60_000);

  it('keeps sending when Redis stops, then goes back to the shared rate', async () => {
    const before = fake.accepted.length;
    const fleet = [0, 1].map((p) => runSender([redis.url, 'fleet-b', '20', '60', fake.url, p ? 'node-redis' : 'ioredis', `q${p}`]));
    // Stop Redis once both processes are sending through it.
    const sentBy = (tag: string) =>
      fake.accepted.slice(before).filter((a) => a.request.params['Message.Subject.Data']!.startsWith(tag)).length;
    while (sentBy('q0-') < 5 || sentBy('q1-') < 5) await new Promise((r) => setTimeout(r, 20));
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();
    const results = await Promise.all(fleet);
    expect(results.map((r) => r.ok)).toEqual([60, 60]);
    expect(new Set(fake.accepted.slice(before).map((a) => a.request.params['Message.Subject.Data'])).size).toBe(120);
    for (const r of results) {
      expect(r.warnings.some((w) => /Redis unreachable/.test(w))).toBe(true);
      expect(r.warnings.some((w) => /Redis is back/.test(w))).toBe(true);
    }
  }, 60_000);

  it.each([
    [
      'ioredis',
      (url: string) => {
        const c = new Redis(url);
        return Promise.resolve({ client: c, quit: (): Promise<void> => Promise.resolve(c.disconnect()) });
      },
    ],
    [
      'node-redis',
      async (url: string) => {
        const c = createClient({ url });
        await c.connect();
        return { client: c, quit: async (): Promise<void> => void (await c.disconnect()) };
      },
    ],
  ])('works with %s: spaces acquisitions and gives up a wait on abort', async (_name, make) => {
    const { client, quit } = await make(redis.url);
    const limiter = new RedisRateLimiter({ client, key: `lib-${_name}`, rate: 10 });
    try {
      const t0 = Date.now();
      await limiter.acquire();
      await limiter.acquire();
      await limiter.acquire();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(180); // two intervals of 100 ms
      const abort = new AbortController();
      const waiting = limiter.acquire(abort.signal);
      abort.abort(new Error('stop'));
      await expect(waiting).rejects.toThrow('stop');
      expect(limiter.usingFallback).toBe(false);
    } finally {
      limiter.close();
      await quit();
    }
  });

  it("'auto' reads MaxSendRate from one process and shares it", async () => {
    const a = new Redis(redis.url);
    const b = new Redis(redis.url);
    let reads = 0;
    const logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };
    const context = {
      logger,
      getSendQuota: () => (reads++, Promise.resolve({ max24HourSend: 50000, maxSendRate: 40, sentLast24Hours: 0 })),
    };
    const one = new RedisRateLimiter({ client: a, key: 'auto', rate: 'auto' });
    const two = new RedisRateLimiter({ client: b, key: 'auto', rate: 'auto' });
    try {
      one.attach(context);
      await new Promise((r) => setTimeout(r, 100));
      two.attach(context);
      await two.acquire();
      const t0 = Date.now();
      await two.acquire();
      await two.acquire();
      expect(reads).toBe(1);
      expect(Date.now() - t0).toBeLessThan(500); // 25 ms apart at 40/s, not 1 s apart at the starting 1/s
    } finally {
      one.close();
      two.close();
      a.disconnect();
      b.disconnect();
    }
  });

  it('slows the whole fleet when SES throttles', async () => {
    const a = new Redis(redis.url);
    const b = new Redis(redis.url);
    const one = new RedisRateLimiter({ client: a, key: 'throttle', rate: 20 });
    const two = new RedisRateLimiter({ client: b, key: 'throttle', rate: 20 });
    try {
      one.throttled();
      await new Promise((r) => setTimeout(r, 50));
      await two.acquire();
      const t0 = Date.now();
      await two.acquire();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(90); // interval doubled from 50 to 100 ms
    } finally {
      one.close();
      two.close();
      a.disconnect();
      b.disconnect();
    }
  });

  it('close() rejects waiting acquires with ECLOSED and reserves no slot afterwards', async () => {
    const a = new Redis(redis.url);
    const limiter = new RedisRateLimiter({ client: a, key: 'closing', rate: 1 });
    try {
      await limiter.acquire();
      const waiting = [limiter.acquire(), limiter.acquire(), limiter.acquire()].map((p) =>
        p.then(
          () => 'granted',
          (e: { code?: string }) => e.code,
        ),
      );
      await new Promise((r) => setTimeout(r, 50));
      const slotBefore = await a.get('{closing}:next');
      limiter.close();
      expect(await Promise.all(waiting)).toEqual(['ECLOSED', 'ECLOSED', 'ECLOSED']);
      await new Promise((r) => setTimeout(r, 100));
      expect(await a.get('{closing}:next')).toBe(slotBefore);
      await expect(limiter.acquire()).rejects.toMatchObject({ code: 'ECLOSED' });
    } finally {
      limiter.close();
      a.disconnect();
    }
  });

  it('charges a message its recipients: 5 recipients at rate 10 hold the next message back ~500 ms', async () => {
    const a = new Redis(redis.url);
    const limiter = new RedisRateLimiter({ client: a, key: 'cost', rate: 10 });
    try {
      await limiter.acquire(undefined, 5);
      const t0 = Date.now();
      await limiter.acquire();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    } finally {
      limiter.close();
      a.disconnect();
    }
  });
});

describe('RedisRateLimiter options', () => {
  it('refuses a bad fallbackRate at construction (ECONFIG), not when Redis goes away', () => {
    const client = {
      evalsha: () => Promise.resolve(),
      eval: () => Promise.resolve(),
      set: () => Promise.resolve(),
      get: () => Promise.resolve(),
    };
    expect(() => new RedisRateLimiter({ client, key: 'k', rate: 10, fallbackRate: 2 })).not.toThrow();
    for (const fallbackRate of [0, -1, 'auto', Number.NaN]) {
      expect(() => new RedisRateLimiter({ client, key: 'k', rate: 10, fallbackRate: fallbackRate as number })).toThrow(/fallbackRate/);
      expect(() => new RedisRateLimiter({ client, key: 'k', rate: 10, fallbackRate: fallbackRate as number })).toThrow(
        expect.objectContaining({ code: 'ECONFIG' }) as Error,
      );
    }
  });
});
