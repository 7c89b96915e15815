// The batcher alone, with an injected send and hand-driven timers.
import { describe, expect, it } from 'vitest';
import { Batcher, type Batch, type BatchResult } from '../../src/templates/batcher.js';
import { readBulkAnswer } from '../../src/templates/bulk-request.js';

function setup(options: { maxDestinations?: number; maxBytes?: number } = {}) {
  const timers: Array<{ fn: () => void; cleared: boolean }> = [];
  const batches: Array<Batch<string>> = [];
  const answers: Array<(results: Array<BatchResult<string>>) => void> = [];
  const batcher = new Batcher<string, string>({
    maxWaitMs: 5,
    maxDestinations: options.maxDestinations ?? 3,
    maxBytes: options.maxBytes ?? 1000,
    send: (batch) => {
      batches.push(batch);
      return new Promise((resolve) => answers.push(resolve));
    },
    setTimer: (fn) => {
      const t = { fn, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as { cleared: boolean }).cleared = true;
    },
  });
  const add = (message: string, extra: { key?: string; bytes?: number; signal?: AbortSignal } = {}) =>
    batcher.add({ message, key: extra.key ?? 'k', bytes: extra.bytes ?? 1, recipients: 2, signal: extra.signal });
  const echo = (batch: Batch<string>) => batch.start().map((m) => ({ value: `id-${m}` }));
  return { batcher, timers, batches, answers, add, echo };
}

describe('Batcher', () => {
  it('hands a group on when it is full, without waiting for the timer, and each add gets its own result', async () => {
    const { batches, answers, add, timers, echo } = setup();
    const p = ['a', 'b', 'c'].map((m) => add(m));
    expect(batches).toHaveLength(1);
    expect(timers[0]!.cleared).toBe(true);
    expect(batches[0]!.recipients).toBe(6);
    answers[0]!(echo(batches[0]!));
    expect(await Promise.all(p)).toEqual(['id-a', 'id-b', 'id-c']);
  });

  it('hands a partial group on when its wait is over; other keys form their own groups', () => {
    const { batches, add, timers } = setup();
    void add('a');
    void add('x', { key: 'other' });
    void add('b');
    expect(batches).toHaveLength(0);
    timers[0]!.fn();
    expect(batches.map((b) => b.size)).toEqual([2]);
    expect(batches[0]!.start()).toEqual(['a', 'b']);
    timers[1]!.fn();
    expect(batches[1]!.start()).toEqual(['x']);
  });

  it('starts a new group when the data would go over maxBytes', () => {
    const { batches, add } = setup({ maxBytes: 10 });
    void add('a', { bytes: 6 });
    void add('b', { bytes: 6 });
    expect(batches).toHaveLength(1);
    expect(batches[0]!.start()).toEqual(['a']);
  });

  it('an abort while waiting in the group removes only that message; the last one leaving clears the timer', async () => {
    const { batches, add, timers, answers, echo } = setup();
    const c1 = new AbortController();
    const c2 = new AbortController();
    const a = add('a', { signal: c1.signal });
    const b = add('b');
    c1.abort();
    await expect(a).rejects.toMatchObject({ code: 'EABORT' });
    timers[0]!.fn();
    expect(batches[0]!.start()).toEqual(['b']);
    answers[0]!(echo(batches[0]!));
    expect(await b).toBe('id-b');

    const c = add('c', { signal: c2.signal });
    c2.abort();
    await expect(c).rejects.toMatchObject({ code: 'EABORT' });
    expect(timers[1]!.cleared).toBe(true);
  });

  it('an abort after hand-over but before the request starts removes the message; all gone aborts the batch', async () => {
    const { batches, add, answers, echo } = setup();
    const cs = [new AbortController(), new AbortController(), new AbortController()];
    const p = ['a', 'b', 'c'].map((m, i) => add(m, { signal: cs[i]!.signal }));
    cs[1]!.abort();
    await expect(p[1]).rejects.toMatchObject({ code: 'EABORT' });
    expect(batches[0]!.signal.aborted).toBe(false);
    expect(batches[0]!.start()).toEqual(['a', 'c']);
    answers[0]!(echo(batches[0]!));
    expect(await Promise.all([p[0], p[2]])).toEqual(['id-a', 'id-c']);

    const q = [new AbortController(), new AbortController(), new AbortController()];
    const r = ['d', 'e', 'f'].map((m, i) => add(m, { signal: q[i]!.signal }));
    for (const c of q) c.abort();
    await Promise.allSettled(r);
    expect(batches[1]!.signal.aborted).toBe(true);
  });

  it('after the request started, one abort does not change it (real outcome); every member aborting aborts it', async () => {
    const { batches, add, answers } = setup();
    const cs = [new AbortController(), new AbortController(), new AbortController()];
    const p = ['a', 'b', 'c'].map((m, i) => add(m, { signal: cs[i]!.signal }));
    const started = batches[0]!.start();
    cs[0]!.abort();
    expect(batches[0]!.signal.aborted).toBe(false);
    answers[0]!(started.map((m) => ({ value: `id-${m}` })));
    expect(await Promise.all(p)).toEqual(['id-a', 'id-b', 'id-c']);

    const q = [new AbortController(), new AbortController(), new AbortController()];
    const r = ['d', 'e', 'f'].map((m, i) => add(m, { signal: q[i]!.signal }));
    batches[1]!.start();
    for (const c of q) c.abort();
    expect(batches[1]!.signal.aborted).toBe(true);
    answers[1]!([{ error: new Error('x') }, { error: new Error('y') }, { error: new Error('z') }]);
    await Promise.allSettled(r);
  });

  it('a failed send rejects every member with its error; per-member errors stay per member', async () => {
    const { batcher, add } = setup();
    const failing = new Batcher<string, string>({
      maxWaitMs: 1,
      maxDestinations: 2,
      maxBytes: 10,
      send: () => Promise.reject(new Error('whole request')),
    });
    const both = [
      failing.add({ message: 'a', key: 'k', bytes: 1, recipients: 1 }),
      failing.add({ message: 'b', key: 'k', bytes: 1, recipients: 1 }),
    ];
    for (const r of await Promise.allSettled(both)) expect(r).toMatchObject({ status: 'rejected', reason: { message: 'whole request' } });
    expect(batcher.waiting).toBe(0);
    void add('z');
    expect(batcher.waiting).toBe(1);
  });
});

describe('readBulkAnswer', () => {
  const meta = { requestId: 'r-1', attempts: 1 };
  it('reads one member (an object) and many (an array)', () => {
    expect(readBulkAnswer({ Status: { member: { Status: 'Success', MessageId: 'm1' } } }, 1, meta)).toEqual([{ messageId: 'm1' }]);
    const out = readBulkAnswer(
      {
        Status: {
          member: [{ Status: 'Success', MessageId: 'm1' }, { Status: 'AccountThrottled', Error: 'slow down' }, { Status: 'Failed' }],
        },
      },
      3,
      meta,
    );
    expect(out[0]).toEqual({ messageId: 'm1' });
    expect((out[1] as { error: unknown }).error).toMatchObject({
      code: 'AccountThrottled',
      retryable: true,
      requestId: 'r-1',
      attempts: 1,
    });
    expect((out[2] as { error: unknown }).error).toMatchObject({ code: 'Failed', retryable: false });
  });
  it('refuses an answer that does not match the destinations one to one, or Success without an id', () => {
    for (const r of readBulkAnswer({ Status: { member: { Status: 'Success', MessageId: 'm' } } }, 2, meta))
      expect((r as { error: unknown }).error).toMatchObject({ code: 'EPROTOCOL' });
    expect((readBulkAnswer({ Status: '' }, 1, meta)[0] as { error: unknown }).error).toMatchObject({ code: 'EPROTOCOL' });
    expect((readBulkAnswer({ Status: { member: { Status: 'Success' } } }, 1, meta)[0] as { error: unknown }).error).toMatchObject({
      code: 'EPROTOCOL',
    });
  });
});
