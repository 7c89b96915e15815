// SesEventReceiver against the loopback SNS stand-in: topics, replays, redeliveries, subscriptions,
// raw delivery, sizes, and the Node and Fetch handlers' answers.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesError } from '../../src/index.js';
import { SesEventReceiver, type SesEvent, type SesEventReceiverOptions } from '../../src/events/index.js';
import { TOPIC, startFakeSns, type FakeSns } from './support/fake-sns.js';
import { rejection as refusal } from '../support/rejection.js';

let sns: FakeSns;
beforeAll(async () => {
  sns = await startFakeSns();
});
afterAll(async () => {
  await sns?.close();
});

const bounce = (messageId = 'ses-msg-1') =>
  JSON.stringify({
    notificationType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        { emailAddress: 'jane@example.com', status: '5.1.1', action: 'failed', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
      ],
      timestamp: new Date().toISOString(),
      feedbackId: 'f-1',
    },
    mail: { timestamp: new Date().toISOString(), messageId, source: 'sender@example.com', destination: ['jane@example.com'] },
  });

function receiver(extra: Partial<SesEventReceiverOptions> = {}) {
  const events: SesEvent[] = [];
  const r = new SesEventReceiver({
    topicArns: [TOPIC],
    onEvent: (e) => {
      events.push(e);
    },
    isSnsUrl: (u) => sns.isSnsUrl(u),
    dispatcher: sns.dispatcher,
    ...extra,
  });
  return { r, events };
}

describe('SesEventReceiver options', () => {
  it('requires topicArns (no accept-all default), valid ARNs and onEvent', () => {
    const onEvent = () => {};
    expect(() => new SesEventReceiver({ onEvent } as never)).toThrow(/topicArns/);
    expect(() => new SesEventReceiver({ topicArns: [], onEvent })).toThrow(/topicArns/);
    expect(() => new SesEventReceiver({ topicArns: ['ses-events'], onEvent })).toThrow(/not an SNS topic ARN/);
    expect(() => new SesEventReceiver({ topicArns: [TOPIC] } as never)).toThrow(/onEvent/);
  });
});

describe('SesEventReceiver.handle', () => {
  it.each(['1', '2'] as const)('hands a verified notification (SignatureVersion %s) to onEvent once, typed', async (v) => {
    const { r, events } = receiver();
    const result = await r.handle(JSON.stringify(sns.signed({ Message: bounce('m-' + v) }, v)));
    expect(result.status).toBe('event');
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('Bounce');
    expect(events[0]!.messageId).toBe('m-' + v);
    expect(events[0]!.sns?.topicArn).toBe(TOPIC);
  });

  it('takes the body as text, bytes, or the object a JSON body parser made', async () => {
    const { r, events } = receiver();
    await r.handle(new TextEncoder().encode(JSON.stringify(sns.signed({ Message: bounce() }))));
    await r.handle(sns.signed({ Message: bounce() }));
    expect(events).toHaveLength(2);
  });

  it('refuses a topic that is not allowed before fetching any certificate (list and predicate)', async () => {
    const before = sns.requests.length;
    const other = 'arn:aws:sns:eu-west-1:123456789012:someone-else';
    const { r, events } = receiver();
    expect((await refusal(r.handle(JSON.stringify(sns.signed({ Message: bounce(), TopicArn: other }))))).code).toBe('ESNSTOPIC');
    const p = receiver({ topicArns: (arn) => arn.endsWith(':ses-events') });
    expect((await refusal(p.r.handle(JSON.stringify(sns.signed({ Message: bounce(), TopicArn: other }))))).code).toBe('ESNSTOPIC');
    expect(sns.requests.length).toBe(before);
    expect(events).toHaveLength(0);
    expect((await p.r.handle(JSON.stringify(sns.signed({ Message: bounce() })))).status).toBe('event');
  });

  it('refuses a replay (an old Timestamp, validly signed) and a Timestamp from the future', async () => {
    const { r, events } = receiver();
    const old = sns.signed({ Message: bounce(), Timestamp: new Date(Date.now() - 2 * 3600_000).toISOString() });
    expect((await refusal(r.handle(JSON.stringify(old)))).code).toBe('ESNSEXPIRED');
    const future = sns.signed({ Message: bounce(), Timestamp: new Date(Date.now() + 3600_000).toISOString() });
    expect((await refusal(r.handle(JSON.stringify(future)))).code).toBe('ESNSEXPIRED');
    const short = receiver({ maxAgeMs: 60_000 });
    expect(
      (
        await refusal(
          short.r.handle(JSON.stringify(sns.signed({ Message: bounce(), Timestamp: new Date(Date.now() - 120_000).toISOString() }))),
        )
      ).code,
    ).toBe('ESNSEXPIRED');
    expect(events).toHaveLength(0);
  });

  it('answers a redelivery (same MessageId) as a duplicate without calling onEvent again; one still in flight as ESNSINFLIGHT', async () => {
    const { r, events } = receiver();
    const m = JSON.stringify(sns.signed({ Message: bounce() }));
    const results = await Promise.all(
      [r.handle(m), r.handle(m)].map((p) =>
        p.then(
          (x) => x.status,
          (e: SesError) => e.code,
        ),
      ),
    );
    expect(results.sort()).toEqual(['ESNSINFLIGHT', 'event']);
    expect((await r.handle(m)).status).toBe('duplicate');
    expect(events).toHaveLength(1);
  });

  it('does not mark a message seen when onEvent throws: the redelivery is handled', async () => {
    let calls = 0;
    const boom = new Error('database down');
    const { r } = receiver({
      onEvent: () => {
        calls++;
        if (calls === 1) throw boom;
      },
    });
    const m = JSON.stringify(sns.signed({ Message: bounce() }));
    await expect(r.handle(m)).rejects.toBe(boom);
    expect((await r.handle(m)).status).toBe('event');
    expect(calls).toBe(2);
  });

  it('asks a given seen function with the SNS MessageId', async () => {
    const asked: string[] = [];
    const { r, events } = receiver({ seen: (id) => (asked.push(id), asked.length > 1) });
    const a = sns.signed({ Message: bounce() });
    expect((await r.handle(JSON.stringify(a))).status).toBe('event');
    expect((await r.handle(JSON.stringify(sns.signed({ Message: bounce() })))).status).toBe('duplicate');
    expect(asked[0]).toBe(a.MessageId);
    expect(events).toHaveLength(1);
  });

  it('confirms a subscription with a GET to its SubscribeURL', async () => {
    const { r } = receiver();
    const m = sns.subscriptionConfirmation();
    const result = await r.handle(JSON.stringify(m));
    expect(result).toMatchObject({ status: 'subscribed', confirmed: true, topicArn: TOPIC });
    expect(sns.confirmations).toContain(new URL(m.SubscribeURL!).pathname + new URL(m.SubscribeURL!).search);
  });

  it('hands the SubscribeURL back instead when confirmSubscriptions is false', async () => {
    const { r } = receiver({ confirmSubscriptions: false });
    const before = sns.confirmations.length;
    const m = sns.subscriptionConfirmation();
    expect(await r.handle(JSON.stringify(m))).toEqual({
      status: 'subscribed',
      confirmed: false,
      topicArn: TOPIC,
      subscribeUrl: m.SubscribeURL,
    });
    expect(sns.confirmations.length).toBe(before);
  });

  it('refuses a SubscribeURL on another host, even validly signed, without fetching it', async () => {
    const { r } = receiver();
    const evil = new SesEventReceiver({
      topicArns: [TOPIC],
      onEvent: () => {},
      dispatcher: sns.dispatcher,
      isSnsUrl: (u, c) => c.purpose === 'certificate' && sns.isSnsUrl(u),
    });
    const m = sns.subscriptionConfirmation({ SubscribeURL: 'https://169.254.169.254/latest/meta-data/' });
    expect((await refusal(r.handle(JSON.stringify(m)))).code).toBe('ESNSCERTHOST');
    const m2 = sns.subscriptionConfirmation();
    expect((await refusal(evil.handle(JSON.stringify(m2)))).code).toBe('ESNSCERTHOST');
  });

  it('reports an UnsubscribeConfirmation', async () => {
    const { r } = receiver();
    expect(await r.handle(JSON.stringify(sns.subscriptionConfirmation({ Type: 'UnsubscribeConfirmation' })))).toEqual({
      status: 'unsubscribed',
      topicArn: TOPIC,
    });
  });

  it('ignores a verified notification that is not an SES event (SES topic validation message)', async () => {
    const { r, events } = receiver();
    const result = await r.handle(
      JSON.stringify(sns.signed({ Message: 'Successfully validated SNS topic for Amazon SES event publishing.' })),
    );
    expect(result.status).toBe('ignored');
    expect(events).toHaveLength(0);
  });

  it('refuses an oversize body, a non-JSON body and an unknown Type', async () => {
    const { r } = receiver({ maxBodyBytes: 4096 });
    expect((await refusal(r.handle(JSON.stringify(sns.signed({ Message: 'x'.repeat(5000) }))))).code).toBe('ESNSMALFORMED');
    expect((await refusal(r.handle('<xml/>'))).code).toBe('ESNSMALFORMED');
    expect((await refusal(r.handle(JSON.stringify({ ...sns.signed({ Message: 'x' }), Type: 'Other' })))).code).toBe('ESNSMALFORMED');
  });

  it('refuses raw message delivery (no envelope, no signature) with a reason, unless opted in', async () => {
    const { r, events } = receiver();
    const err = await refusal(r.handle(bounce()));
    expect(err.code).toBe('ESNSRAW');
    expect(err.message).toMatch(/raw message delivery/);
    expect(events).toHaveLength(0);
    const opted = receiver({ acceptUnsignedRawMessages: true });
    expect((await opted.r.handle(bounce('raw-1'))).status).toBe('event');
    expect(opted.events[0]!.messageId).toBe('raw-1');
  });
});

describe('handlers', () => {
  let server: Server;
  let url: string;
  let current: ReturnType<typeof receiver>;
  let parsedBody: unknown;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (parsedBody !== undefined) Object.assign(req, { body: parsedBody });
      current.r.nodeHandler()(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ses-events`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function post(body: string, method = 'POST', chunked = false): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        { method, headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      if (chunked) {
        for (let i = 0; i < body.length; i += 1000) req.write(body.slice(i, i + 1000));
        req.end();
      } else {
        req.end(body);
      }
    });
  }

  const cases = () => {
    const failing = receiver({
      onEvent: () => {
        throw new Error('user handler failed');
      },
    });
    return {
      good: JSON.stringify(sns.signed({ Message: bounce() })),
      forged: JSON.stringify({ ...sns.signed({ Message: bounce() }), Message: bounce('other') }),
      failing,
    };
  };

  it('nodeHandler: 200 handled and duplicate, 400 refused, 500 when onEvent fails, 405 for GET, 400 oversize', async () => {
    current = receiver({ maxBodyBytes: 8192 });
    parsedBody = undefined;
    const { good, forged, failing } = cases();
    expect(await post(good)).toEqual({ status: 200, text: 'event' });
    expect(await post(good)).toEqual({ status: 200, text: 'duplicate' });
    const bad = await post(forged);
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/^ESNSSIGNATURE/);
    expect((await post(good, 'PUT')).status).toBe(405);
    expect((await post(JSON.stringify(sns.signed({ Message: 'x'.repeat(20_000) })), 'POST', true)).status).toBe(400);
    expect(current.events).toHaveLength(1);
    current = failing;
    expect((await post(JSON.stringify(sns.signed({ Message: bounce() })))).status).toBe(500);
  });

  it('nodeHandler takes a body already parsed by Express (text or JSON parser)', async () => {
    current = receiver();
    parsedBody = sns.signed({ Message: bounce('parsed') });
    expect((await post('')).status).toBe(200);
    parsedBody = JSON.stringify(sns.signed({ Message: bounce('parsed-text') }));
    expect((await post('')).status).toBe(200);
    parsedBody = undefined;
    expect(current.events.map((e) => e.messageId)).toEqual(['parsed', 'parsed-text']);
  });

  it('fetchHandler: the same answers from a Request', async () => {
    const { r, events } = receiver({ maxBodyBytes: 8192 });
    const handler = r.fetchHandler();
    const { good, forged, failing } = cases();
    const req = (body: string, method = 'POST') =>
      new Request('https://example.test/ses-events', { method, body: method === 'POST' ? body : undefined });
    const ok = await handler(req(good));
    expect([ok.status, await ok.text()]).toEqual([200, 'event']);
    expect((await handler(req(good))).status).toBe(200);
    expect((await handler(req(forged))).status).toBe(400);
    expect((await handler(req(good, 'GET'))).status).toBe(405);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(1000));
        c.close();
      },
    });
    expect((await handler(new Request('https://example.test/', { method: 'POST', body: stream, duplex: 'half' }))).status).toBe(400);
    expect(events).toHaveLength(1);
    expect((await failing.r.fetchHandler()(req(JSON.stringify(sns.signed({ Message: bounce() }))))).status).toBe(500);
  });
});
