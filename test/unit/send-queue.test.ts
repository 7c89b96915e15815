import { describe, expect, it } from 'vitest';
import { SendQueue } from '../../src/flow/send-queue.js';
import { TokenBucketLimiter } from '../../src/flow/token-bucket.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('SendQueue', () => {
  it('keeps order and never runs more than maxConnections at once', async () => {
    const queue = new SendQueue({ maxConnections: 3 });
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        queue.run(async () => {
          started.push(i);
          running++;
          peak = Math.max(peak, running);
          await tick(Math.random() * 5);
          running--;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(started).toEqual(results);
    expect(peak).toBe(3);
  });

  it('removes a task aborted while queued (EABORT) and aborts the signal of a running one', async () => {
    const queue = new SendQueue({ maxConnections: 1 });
    const running = new AbortController();
    const queued = new AbortController();
    let sawAbort = false;
    const a = queue.run(
      (signal) =>
        new Promise((_, reject) => {
          signal!.addEventListener('abort', () => {
            sawAbort = true;
            reject(new Error('cancelled'));
          });
        }),
      running.signal,
    );
    let ranQueued = false;
    const b = queue.run(() => {
      ranQueued = true;
      return Promise.resolve();
    }, queued.signal);
    queued.abort();
    await expect(b).rejects.toMatchObject({ code: 'EABORT' });
    running.abort();
    await expect(a).rejects.toThrow('cancelled');
    expect(sawAbort).toBe(true);
    expect(ranQueued).toBe(false);
  });

  it('close() lets queued tasks finish, then refuses new ones with ECLOSED', async () => {
    const queue = new SendQueue({ maxConnections: 1 });
    const done: number[] = [];
    const tasks = [1, 2, 3].map((n) =>
      queue.run(async () => {
        await tick();
        done.push(n);
      }),
    );
    await queue.close();
    expect(done).toEqual([1, 2, 3]);
    await Promise.all(tasks);
    await expect(queue.run(() => Promise.resolve(1))).rejects.toMatchObject({ code: 'ECLOSED' });
  });

  it('feeds the "send while idle" loop without spinning', async () => {
    let idleEvents = 0;
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const sent: number[] = [];
    let startedLate = 0;
    let peak = 0;
    let queue: SendQueue;
    const drained = new Promise<void>((resolve) => {
      queue = new SendQueue({
        maxConnections: 4,
        onIdle: () => {
          idleEvents++;
          while (queue.isIdle() && items.length) {
            const item = items.shift()!;
            const before = queue.inFlight;
            void queue.run(async () => {
              await tick(1);
              sent.push(item);
              if (sent.length === 1000) resolve();
            });
            // "Idle" promised that a message given now starts at once: it must be running, not queued.
            if (queue.pending !== 0 || queue.inFlight !== before + 1) startedLate++;
            peak = Math.max(peak, queue.inFlight);
          }
        },
      });
    });
    void queue!.run(async () => {});
    await drained;
    expect(sent).toHaveLength(1000);
    expect(startedLate).toBe(0);
    expect(peak).toBe(4);
    expect(idleEvents).toBeLessThanOrEqual(1001);
  });

  it('waits for the rate limiter and reports not idle meanwhile', async () => {
    const limiter = new TokenBucketLimiter({ rate: 20 });
    const queue = new SendQueue({ maxConnections: 10, rateLimiter: limiter });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => queue.run(async () => {})));
    expect(queue.isIdle()).toBe(false);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(150); // 4 waits of 50 ms at 20/s (behaviour, not speed)
    await queue.close();
    limiter.close();
  });
});
