import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../../src/flow/token-bucket.js';
import { createLogger } from '../../src/logger.js';

// A hand-driven clock: time only moves when the test says so.
function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenBucketLimiter', () => {
  it('lets a burst of one through, then spaces messages evenly at the rate', async () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ rate: 10, now: c.now });
    await limiter.acquire();
    expect(limiter.isReady()).toBe(false);
    c.advance(99);
    expect(limiter.isReady()).toBe(false);
    c.advance(1);
    expect(limiter.isReady()).toBe(true);
    limiter.close();
  });

  it('admits rate × seconds (±10%) over 10 simulated seconds', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ rate: 14, burst: 14, now: c.now });
    let admitted = 0;
    for (let t = 0; t < 10_000; t += 5) {
      while (limiter.isReady()) {
        void limiter.acquire();
        admitted++;
      }
      c.advance(5);
    }
    // 14 burst + 14/s × 10 s
    expect(admitted).toBeGreaterThanOrEqual(Math.floor(154 * 0.9));
    expect(admitted).toBeLessThanOrEqual(Math.ceil(154 * 1.1));
    limiter.close();
  });

  it('serves waiters first come, first served, in real time, and an aborted waiter gives up its place', async () => {
    const limiter = new TokenBucketLimiter({ rate: 50 });
    const order: number[] = [];
    await limiter.acquire();
    const abort = new AbortController();
    const waits = [1, 2, 3, 4].map((n) =>
      limiter.acquire(n === 2 ? abort.signal : undefined).then(
        () => order.push(n),
        () => order.push(-n),
      ),
    );
    abort.abort();
    await Promise.all(waits);
    expect(order).toEqual([-2, 1, 3, 4]);
    limiter.close();
  });

  it('tells onceReady listeners when a token is back, and rejects waiters on close', async () => {
    const limiter = new TokenBucketLimiter({ rate: 20 });
    await limiter.acquire();
    const ready = new Promise<void>((resolve) => limiter.onceReady(resolve));
    await ready;
    expect(limiter.isReady()).toBe(true);
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.close();
    await expect(waiting).rejects.toMatchObject({ code: 'ECLOSED' });
  });

  it('halves the rate for a while after throttled()', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ rate: 10, now: c.now, throttlePenaltyMs: 1000 });
    limiter.attach({
      getSendQuota: () => Promise.resolve({ max24HourSend: 1, maxSendRate: 1, sentLast24Hours: 0 }),
      logger: createLogger(false, 't'),
    });
    limiter.throttled();
    expect(limiter.rate).toBe(5);
    c.advance(1001);
    expect(limiter.rate).toBe(10);
    limiter.close();
  });

  it("'auto' starts slow and follows MaxSendRate once read", async () => {
    const limiter = new TokenBucketLimiter({ rate: 'auto' });
    expect(limiter.rate).toBe(1);
    let reads = 0;
    limiter.attach({
      getSendQuota: () => {
        reads++;
        return Promise.resolve({ max24HourSend: 50000, maxSendRate: 28, sentLast24Hours: 0 });
      },
      logger: createLogger(false, 't'),
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(reads).toBe(1);
    expect(limiter.rate).toBe(28);
    limiter.close();
  });
});
