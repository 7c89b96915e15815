// Redelivery while the first delivery is still being handled, and what counts as seen: only a message
// whose handling succeeded. A redelivery of a message in flight is refused as retryable (ESNSINFLIGHT,
// 503) so that SNS delivers it again; if the first attempt then fails, that later delivery is handled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesError } from '../../src/index.js';
import { MemorySeenStore, SesEventReceiver, httpStatusOf, type SesEventReceiverOptions } from '../../src/events/index.js';
import { TOPIC, startFakeSns, type FakeSns, bouncePayload } from './support/fake-sns.js';

let sns: FakeSns;
beforeAll(async () => {
  sns = await startFakeSns();
});
afterAll(async () => {
  await sns?.close();
});

const bounce = bouncePayload;

function make(options: Partial<SesEventReceiverOptions> & Pick<SesEventReceiverOptions, 'onEvent'>) {
  return new SesEventReceiver({ topicArns: [TOPIC], isSnsUrl: (u) => sns.isSnsUrl(u), dispatcher: sns.dispatcher, ...options });
}

/** An onEvent whose first call waits for `release(fail)`; later calls succeed at once. */
function gated() {
  let release!: (fail: boolean) => void;
  const gate = new Promise<boolean>((resolve) => (release = resolve));
  let entered!: () => void;
  const started = new Promise<void>((resolve) => (entered = resolve));
  const state = { calls: 0, succeeded: 0 };
  const onEvent = async () => {
    state.calls++;
    if (state.calls === 1) {
      entered();
      if (await gate) throw new Error('database down');
    }
    state.succeeded++;
  };
  return { onEvent, release, started, state };
}

describe('a redelivery while the first delivery is in flight', () => {
  it('is refused as retryable (ESNSINFLIGHT, 503), and handled when SNS delivers again after the first failed', async () => {
    const g = gated();
    const r = make({ onEvent: g.onEvent });
    const handler = r.fetchHandler();
    const m = JSON.stringify(sns.signed({ Message: bounce('in-flight-1') }));
    const req = () => new Request('http://127.0.0.1/', { method: 'POST', body: m });
    const first = handler(req());
    await g.started;
    const second = await handler(req());
    expect([second.status, await second.text()]).toEqual([503, expect.stringMatching(/^ESNSINFLIGHT/)]);
    const err = (await r.handle(m).catch((e: unknown) => e)) as SesError;
    expect(err).toBeInstanceOf(SesError);
    expect([err.code, err.retryable, httpStatusOf(err)]).toEqual(['ESNSINFLIGHT', true, 503]);
    g.release(true);
    expect((await first).status).toBe(500);
    // SNS's next delivery: handled, not a duplicate.
    const third = await handler(req());
    expect([third.status, await third.text()]).toEqual([200, 'event']);
    expect(g.state).toEqual({ calls: 2, succeeded: 1 });
    expect((await handler(req())).status).toBe(200);
    expect(g.state.calls).toBe(2);
  });

  it('is a duplicate only once the first delivery succeeded', async () => {
    const g = gated();
    const r = make({ onEvent: g.onEvent });
    const m = JSON.stringify(sns.signed({ Message: bounce('in-flight-2') }));
    const first = r.handle(m);
    await g.started;
    await expect(r.handle(m)).rejects.toMatchObject({ code: 'ESNSINFLIGHT' });
    g.release(false);
    expect((await first).status).toBe('event');
    expect((await r.handle(m)).status).toBe('duplicate');
  });

  it('two receivers sharing a store: the claim of the other is "pending" (ESNSINFLIGHT), not a duplicate', async () => {
    const store = new MemorySeenStore(3_600_000);
    const g = gated();
    const a = make({ onEvent: g.onEvent, seen: store });
    const b = make({ onEvent: g.onEvent, seen: store });
    const m = JSON.stringify(sns.signed({ Message: bounce('in-flight-3') }));
    const first = a.handle(m);
    await g.started;
    await expect(b.handle(m)).rejects.toMatchObject({ code: 'ESNSINFLIGHT', retryable: true });
    g.release(true);
    await expect(first).rejects.toThrow('database down');
    expect((await b.handle(m)).status).toBe('event');
    expect((await a.handle(m)).status).toBe('duplicate');
  });
});

describe('seen: what counts as handled', () => {
  it('a bare seen function that records when asked: a delivery whose onEvent failed here is handled again', async () => {
    const ids = new Set<string>();
    let n = 0;
    let ok = 0;
    const r = make({
      seen: (id) => {
        if (ids.has(id)) return true;
        ids.add(id);
        return false;
      },
      onEvent: () => {
        if (++n === 1) throw new Error('transient');
        ok++;
      },
    });
    const m = JSON.stringify(sns.signed({ Message: bounce('seen-fn-1') }));
    await expect(r.handle(m)).rejects.toThrow('transient');
    expect((await r.handle(m)).status).toBe('event');
    expect(ok).toBe(1);
    expect((await r.handle(m)).status).toBe('duplicate');
  });

  it('a store is told markSeen after success and forget after failure', async () => {
    const calls: string[] = [];
    const claimed = new Set<string>();
    let fail = true;
    const r = make({
      seen: {
        seen: (id) => (calls.push('seen'), claimed.has(id) ? true : (claimed.add(id), false)),
        markSeen: () => void calls.push('markSeen'),
        forget: (id) => void (calls.push('forget'), claimed.delete(id)),
      },
      onEvent: () => {
        if (fail) {
          fail = false;
          throw new Error('once');
        }
      },
    });
    const m = JSON.stringify(sns.signed({ Message: bounce('store-1') }));
    await expect(r.handle(m)).rejects.toThrow('once');
    expect((await r.handle(m)).status).toBe('event');
    expect((await r.handle(m)).status).toBe('duplicate');
    expect(calls).toEqual(['seen', 'forget', 'seen', 'markSeen', 'seen']);
  });

  it("keeps onEvent's error when forget throws (and settles)", async () => {
    const boom = new Error('onEvent failed');
    const r = make({
      seen: { seen: () => false, forget: () => Promise.reject(new Error('store down')) },
      onEvent: () => {
        throw boom;
      },
    });
    await expect(r.handle(JSON.stringify(sns.signed({ Message: bounce('forget-throws') })))).rejects.toBe(boom);
  });

  it('MemorySeenStore: false (claimed), then pending until markSeen, then true; forget gives the claim back', () => {
    const s = new MemorySeenStore(60_000);
    expect(s.seen('a')).toBe(false);
    expect(s.seen('a')).toBe('pending');
    s.forget('a');
    expect(s.seen('a')).toBe(false);
    s.markSeen('a');
    expect(s.seen('a')).toBe(true);
  });
});
