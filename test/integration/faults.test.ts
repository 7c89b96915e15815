// Issue 4's fault list against the scripted fake SES: every call settles exactly once, with the right
// code, after the right number of HTTP attempts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { QueryClient } from '../../src/wire/client.js';
import { createDispatcher } from '../../src/wire/http.js';
import { SesError, SesQueryTransport, type SesQueryTransportOptions } from '../../src/index.js';
import type { Credentials } from '../../src/credentials/types.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';
import { rejection as failure } from '../support/rejection.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let fake: FakeSes;
const closers: Array<() => unknown> = [];

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  fake = await startFakeSes();
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  fake.clockSkewMs = 0;
  fake.clearScript();
  expect(unhandled).toEqual([]);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await fake.close();
});

function client(options: Partial<ConstructorParameters<typeof QueryClient>[0]> = {}) {
  const dispatcher = createDispatcher();
  closers.push(() => dispatcher.close());
  return new QueryClient({
    endpoint: new URL(`${fake.url}/`),
    region: 'us-east-1',
    service: 'ses',
    apiVersion: '2010-12-01',
    credentials: () => Promise.resolve(FAKE_CREDENTIALS),
    dispatcher,
    backoff: { baseDelay: 5, throttlingBaseDelay: 10, maxDelay: 50 },
    ...options,
  });
}

function transporter(options: SesQueryTransportOptions = {}) {
  const t = nodemailer.createTransport(
    new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS, ...options }),
  );
  closers.push(() => t.close());
  return t;
}

const mail = { from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' };
const send = {
  Source: 'a@example.com',
  Destination: { ToAddresses: ['b@example.org'] },
  Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
};

interface Outcome {
  value?: unknown;
  error?: SesError;
  requests: number;
}

function attemptsFor(run: () => Promise<unknown>): Promise<Outcome> {
  const before = fake.requests.length;
  return run().then(
    (value): Outcome => ({ value, requests: fake.requests.length - before }),
    (error: unknown): Outcome => ({ error: error as SesError, requests: fake.requests.length - before }),
  );
}

describe('retries', () => {
  it('retries "Maximum sending rate exceeded" and succeeds', async () => {
    fake.enqueue({ error: { code: 'Throttling', message: 'Maximum sending rate exceeded.' } });
    const t = transporter();
    const { value, requests } = await attemptsFor(() => t.sendMail(mail));
    expect(requests).toBe(2);
    expect((value as { attempts: number }).attempts).toBe(2);
  });

  it('fails at once on "Daily message quota exceeded"', async () => {
    fake.enqueue({ error: { code: 'Throttling', message: 'Daily message quota exceeded.' } });
    const { error, requests } = await attemptsFor(() => transporter().sendMail(mail));
    expect(requests).toBe(1);
    expect(error).toMatchObject({ code: 'Throttling', retryable: false, attempts: 1 });
  });

  it.each([
    ['500 InternalFailure', { error: { code: 'InternalFailure', message: 'oops', status: 500, type: 'Receiver' as const } }],
    ['502 HTML page', { status: 502, body: '<html><body>Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } }],
    ['503 ServiceUnavailable', { error: { code: 'ServiceUnavailable', message: 'busy', status: 503, type: 'Receiver' as const } }],
  ])('retries %s and succeeds', async (_label, step) => {
    fake.enqueue(step);
    const { value, requests } = await attemptsFor(() => client().call('SendEmail', send));
    expect(requests).toBe(2);
    expect((value as { attempts: number }).attempts).toBe(2);
  });

  it('gives up after maxAttempts with the last error', async () => {
    fake.enqueue({ status: 503, body: 'x' }, { status: 503, body: 'x' }, { status: 503, body: 'x' });
    const { error, requests } = await attemptsFor(() => client().call('SendEmail', send));
    expect(requests).toBe(3);
    expect(error).toMatchObject({ code: 'EPROTOCOL', statusCode: 503, attempts: 3 });
  });

  it('lets Retry-After lengthen the backoff, never shorten it', async () => {
    // Retry-After: 0 does not retry at once: the backoff (random 0.5 × 400 ms) still applies.
    fake.enqueue({ error: { code: 'ServiceUnavailable', message: 'later', status: 503 }, headers: { 'retry-after': '0' } });
    const before = fake.requests.length;
    await client({ random: () => 0.5, backoff: { baseDelay: 400, maxDelay: 20_000 } }).call('SendEmail', send);
    const [first, second] = fake.requests.slice(before);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(150);
    // Retry-After: 1 waits about a second although the backoff is a few ms.
    fake.enqueue({ error: { code: 'ServiceUnavailable', message: 'later', status: 503 }, headers: { 'retry-after': '1' } });
    const mark = fake.requests.length;
    await client().call('SendEmail', send);
    const [a, b] = fake.requests.slice(mark);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(900);
  });

  it.each([
    ['429 TooManyRequestsException (XML)', { error: { code: 'TooManyRequestsException', message: 'slow down', status: 429 } }],
    ['429 plain text', { status: 429, body: 'Too Many Requests', headers: { 'content-type': 'text/plain' } }],
    ['RequestThrottled', { error: { code: 'RequestThrottled', message: 'slow down' } }],
    ['RequestLimitExceeded', { error: { code: 'RequestLimitExceeded', message: 'slow down' } }],
    ['PriorRequestNotComplete', { error: { code: 'PriorRequestNotComplete', message: 'wait' } }],
    ['SlowDown with status 400', { error: { code: 'SlowDown', message: 'slow down', status: 400 } }],
  ])('retries %s as throttling and tells the limiter', async (_label, step) => {
    fake.enqueue(step);
    let throttled = 0;
    const { value, requests } = await attemptsFor(() => client({ onThrottle: () => throttled++ }).call('SendEmail', send));
    expect(requests).toBe(2);
    expect(value).toMatchObject({ attempts: 2 });
    expect(throttled).toBe(1);
  });

  it.each([
    ['malformed XML', { status: 200, body: '<SendEmailResponse><SendEmailResult>' }],
    ['truncated XML', { status: 200, body: '<SendEmailResponse xmlns="x"><SendEmailResult><MessageId>abc' }],
  ])('does not retry a 200 with %s (EPROTOCOL)', async (_label, step) => {
    fake.enqueue(step);
    const { error, requests } = await attemptsFor(() => client().call('SendEmail', send));
    expect(requests).toBe(1);
    expect(error).toMatchObject({ code: 'EPROTOCOL', retryable: false });
  });

  it('retries a connection reset before the answer', async () => {
    fake.enqueue('reset');
    const { value, requests } = await attemptsFor(() => client().call('SendEmail', send));
    expect(requests).toBe(2);
    expect(value).toMatchObject({ attempts: 2 });
  });

  it('times out headers that never come and a body that stalls (ETIMEDOUT), then gives up', async () => {
    fake.enqueue('hang-headers', 'stall-body');
    const { error, requests } = await attemptsFor(() => client({ timeout: 200, maxAttempts: 2 }).call('SendEmail', send));
    expect(requests).toBe(2);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', attempts: 2 });
  });

  it('does not retry ambiguous failures when retryAmbiguous is false, but still retries throttling', async () => {
    fake.enqueue({ status: 500, body: 'x' });
    const a = await attemptsFor(() => client({ retryAmbiguous: false }).call('SendEmail', send));
    expect(a.requests).toBe(1);
    expect(a.error).toMatchObject({ statusCode: 500 });
    fake.enqueue({ error: { code: 'Throttling', message: 'Maximum sending rate exceeded.' } });
    const b = await attemptsFor(() => client({ retryAmbiguous: false }).call('SendEmail', send));
    expect(b.requests).toBe(2);
  });

  it('stops retrying when the retry quota runs dry', async () => {
    const c = client({ maxAttempts: 1000, backoff: { baseDelay: 0, throttlingBaseDelay: 0, maxDelay: 0 } });
    fake.enqueue(...Array.from({ length: 120 }, () => ({ status: 503, body: 'x' })));
    const { error, requests } = await attemptsFor(() => c.call('SendEmail', send));
    expect(error?.statusCode).toBe(503);
    expect(requests).toBe(36); // 500 tokens / 14 per retry = 35 retries
  });

  it('retries again after an outage: successes refill the drained quota', async () => {
    const transport = new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS });
    const t = nodemailer.createTransport(transport);
    closers.push(() => t.close());
    // The outage: every request fails until the quota is spent (each message tries 3 times).
    fake.enqueue(...Array.from({ length: 60 }, () => ({ status: 503, body: 'down' })));
    let lastAttempts = 3;
    while (lastAttempts > 1) lastAttempts = (await failure(t.sendMail(mail))).attempts!;
    fake.clearScript();
    // Drained: a failure is not retried.
    fake.enqueue({ status: 503, body: 'down' });
    expect((await failure(t.sendMail(mail))).attempts).toBe(1);
    // SES is back: each message sent without a retry adds a token, and retries work again.
    for (let i = 0; i < 14; i++) await t.sendMail(mail);
    fake.enqueue({ status: 503, body: 'blip' });
    const info = await t.sendMail(mail);
    expect(info).toMatchObject({ attempts: 2 });
  });

  it('does not retry a TLS certificate failure', async () => {
    const tlsFake = await startFakeSes({ https: true });
    closers.push(() => tlsFake.close());
    const dispatcher = createDispatcher();
    closers.push(() => dispatcher.close());
    const c = new QueryClient({
      endpoint: new URL(`${tlsFake.url}/`),
      region: 'us-east-1',
      service: 'ses',
      apiVersion: '2010-12-01',
      credentials: () => Promise.resolve(FAKE_CREDENTIALS),
      dispatcher,
    });
    const error = await failure(c.call('SendEmail', send));
    expect(error).toMatchObject({ code: 'ECONNECTION', retryable: false, attempts: 1 });
    expect(tlsFake.requests).toHaveLength(0);
    expect(c.retryCapacity).toBe(500);
  });
});

describe('clock skew', () => {
  it.each([
    ['ahead', 20 * 60_000],
    ['behind', -20 * 60_000],
  ])('corrects a server clock 20 minutes %s and keeps the offset', async (_label, skew) => {
    fake.clockSkewMs = skew;
    const c = client();
    const first = await attemptsFor(() => c.call('GetSendQuota', {}));
    expect(first.requests).toBe(2);
    expect(Math.abs(c.clockOffset - skew)).toBeLessThan(5_000);
    const second = await attemptsFor(() => c.call('GetSendQuota', {}));
    expect(second.requests).toBe(1);
  });

  it('with maxAttempts 1 makes one request, says it is retryable, and signs the next message right', async () => {
    fake.clockSkewMs = -20 * 60_000; // this machine's clock is ahead: "Signature not yet current"
    const c = client({ maxAttempts: 1 });
    const first = await attemptsFor(() => c.call('GetSendQuota', {}));
    expect(first.requests).toBe(1);
    expect(first.error).toMatchObject({ code: 'SignatureDoesNotMatch', retryable: true, attempts: 1 });
    expect(first.error!.message).toMatch(/not yet current/);
    const second = await attemptsFor(() => c.call('GetSendQuota', {}));
    expect(second.requests).toBe(1);
    expect(second.error).toBeUndefined();
  });
});

describe('expired session token', () => {
  it('refreshes the credentials once and retries the message once', async () => {
    const tokenFake = await startFakeSes({
      credentials: [{ accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: 'fresh-token' }],
    });
    closers.push(() => tokenFake.close());
    const handed: Credentials[] = [];
    let calls = 0;
    const credentials = (): Promise<Credentials> => {
      const c = {
        accessKeyId: 'AKIDTMP',
        secretAccessKey: 'tmp-secret',
        sessionToken: calls++ === 0 ? 'stale-token' : 'fresh-token',
        expiration: new Date(Date.now() + 3_600_000),
      };
      handed.push(c);
      return Promise.resolve(c);
    };
    const t = nodemailer.createTransport(new SesQueryTransport({ region: 'us-east-1', endpoint: tokenFake.url, credentials }));
    closers.push(() => t.close());
    const info = await t.sendMail(mail);
    expect(info).toMatchObject({ attempts: 2 });
    expect(tokenFake.requests.map((r) => r.headers['x-amz-security-token'])).toEqual(['stale-token', 'fresh-token']);
    expect(calls).toBe(2);
  });

  it('with maxAttempts 1 makes one request', async () => {
    const tokenFake = await startFakeSes({
      credentials: [{ accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: 'fresh-token' }],
    });
    closers.push(() => tokenFake.close());
    const credentials = (): Promise<Credentials> =>
      Promise.resolve({ accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: 'stale-token' });
    const t = nodemailer.createTransport(
      new SesQueryTransport({ region: 'us-east-1', endpoint: tokenFake.url, credentials, maxAttempts: 1 }),
    );
    closers.push(() => t.close());
    const error = await failure(t.sendMail(mail));
    expect(error).toMatchObject({ code: 'ExpiredToken', attempts: 1 });
    expect(tokenFake.requests).toHaveLength(1);
  });
});

describe('time and cancellation', () => {
  it('aborts a message in flight (EABORT) and one still queued', async () => {
    fake.enqueue({ delay: 300 }, { delay: 300 });
    const t = transporter({ maxConnections: 1 });
    const inFlight = new AbortController();
    const queued = new AbortController();
    const a = t.sendMail({ ...mail, signal: inFlight.signal });
    const b = t.sendMail({ ...mail, signal: queued.signal });
    await new Promise((r) => setTimeout(r, 50));
    queued.abort();
    inFlight.abort();
    const [ea, eb] = await Promise.all([failure(a), failure(b)]);
    expect(ea.code).toBe('EABORT');
    expect(eb.code).toBe('EABORT');
  });

  it('ends a message that takes longer than sendTimeout with ETIMEDOUT', async () => {
    fake.enqueue('hang-headers');
    const err = await failure(transporter({ sendTimeout: 200 }).sendMail(mail));
    expect(err.code).toBe('ETIMEDOUT');
  });

  it('close() lets queued and in-flight messages finish, then takes no more', async () => {
    fake.enqueue({ delay: 100 }, { delay: 100 }, { delay: 100 });
    const transport = new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS, maxConnections: 1 });
    const t = nodemailer.createTransport(transport);
    const sends = [t.sendMail(mail), t.sendMail(mail), t.sendMail(mail)];
    await new Promise((r) => setTimeout(r, 20));
    const closed = transport.close();
    const late = await failure(t.sendMail(mail));
    expect(late.code).toBe('ECLOSED');
    const infos = await Promise.all(sends);
    await closed;
    expect(infos.every((i) => typeof i.messageId === 'string')).toBe(true);
  });
});

describe('review findings (issue 11)', () => {
  it('ends a send waiting for slow credentials at its sendTimeout or abort, with attempts 0 and no request', async () => {
    const slow = () => new Promise<Credentials>((resolve) => setTimeout(() => resolve(FAKE_CREDENTIALS), 1500));
    const before = fake.requests.length;
    const t = nodemailer.createTransport(
      new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: slow, sendTimeout: 200 }),
    );
    closers.push(() => t.close());
    const started = Date.now();
    const timedOut = await failure(t.sendMail(mail));
    expect(Date.now() - started).toBeLessThan(1200);
    expect(timedOut).toMatchObject({ code: 'ETIMEDOUT', attempts: 0 });
    const controller = new AbortController();
    const t2 = nodemailer.createTransport(new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: slow }));
    closers.push(() => t2.close());
    setTimeout(() => controller.abort(), 50);
    const aborted = await failure(t2.sendMail({ ...mail, signal: controller.signal }));
    expect(aborted).toMatchObject({ code: 'EABORT', attempts: 0 });
    expect(fake.requests.length).toBe(before);
  });

  it('retries every one of several requests signed before the clock was corrected', async () => {
    fake.clockSkewMs = 10 * 60_000;
    const c = client();
    fake.enqueue(...Array.from({ length: 8 }, () => ({ delay: 60 })));
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => c.call('GetSendQuota', {})));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason))).toEqual([]);
  });

  it('charges no retry quota for a retry the deadline will not allow', async () => {
    const c = client({ backoff: { baseDelay: 5, maxDelay: 50 } });
    fake.enqueue({ error: { code: 'ServiceUnavailable', message: 'later', status: 503 }, headers: { 'retry-after': '3' } });
    const error = await failure(c.call('SendEmail', send, { deadline: Date.now() + 1500 }));
    expect(error).toMatchObject({ code: 'ServiceUnavailable', attempts: 1 });
    expect(c.retryCapacity).toBe(500);
  });

  it('does not resend with the same session token after ExpiredToken (static credentials)', async () => {
    const tokenFake = await startFakeSes({
      credentials: [{ accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: 'fresh-token' }],
    });
    closers.push(() => tokenFake.close());
    const t = nodemailer.createTransport(
      new SesQueryTransport({
        region: 'us-east-1',
        endpoint: tokenFake.url,
        credentials: { accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: 'stale-token' },
      }),
    );
    closers.push(() => t.close());
    const error = await failure(t.sendMail(mail));
    expect(error).toMatchObject({ code: 'ExpiredToken', attempts: 1 });
    expect(tokenFake.requests).toHaveLength(1);
  });

  it('says attempts 0 when sendTimeout fires while the message waits in the queue', async () => {
    // One message every 2 s: the second waits in the queue for its slot and times out there.
    const t = transporter({ sendingRate: 0.5, sendTimeout: 300 });
    await t.sendMail(mail);
    const second = await failure(t.sendMail(mail));
    expect(second).toMatchObject({ code: 'ETIMEDOUT', attempts: 0 });
  });

  it('ends with the abort, not ExpiredToken, when aborted while refreshing credentials after ExpiredToken', async () => {
    const tokenFake = await startFakeSes({
      credentials: [{ accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: 'fresh-token' }],
    });
    closers.push(() => tokenFake.close());
    let calls = 0;
    const credentials = (): Promise<Credentials> =>
      calls++ === 0
        ? Promise.resolve({
            accessKeyId: 'AKIDTMP',
            secretAccessKey: 'tmp-secret',
            sessionToken: 'stale-token',
            expiration: new Date(Date.now() + 3_600_000),
          })
        : new Promise((resolve) =>
            setTimeout(() => resolve({ accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: 'fresh-token' }), 1000),
          );
    const t = nodemailer.createTransport(
      new SesQueryTransport({ region: 'us-east-1', endpoint: tokenFake.url, credentials, sendTimeout: 300 }),
    );
    closers.push(() => t.close());
    const error = await failure(t.sendMail(mail));
    expect(error).toMatchObject({ code: 'ETIMEDOUT', attempts: 1 });
  });

  it('does not refresh credentials after ExpiredToken when no retry could follow (maxAttempts 1)', async () => {
    const tokenFake = await startFakeSes({
      credentials: [{ accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: 'fresh-token' }],
    });
    closers.push(() => tokenFake.close());
    let calls = 0;
    const credentials = (): Promise<Credentials> => {
      calls++;
      return Promise.resolve({
        accessKeyId: 'AKIDTMP',
        secretAccessKey: 'tmp-secret',
        sessionToken: `token-${calls}`,
        expiration: new Date(Date.now() + 3_600_000),
      });
    };
    const t = nodemailer.createTransport(
      new SesQueryTransport({ region: 'us-east-1', endpoint: tokenFake.url, credentials, maxAttempts: 1 }),
    );
    closers.push(() => t.close());
    await failure(t.sendMail(mail));
    expect(calls).toBe(1);
  });
});
