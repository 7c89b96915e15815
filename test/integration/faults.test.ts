// Issue 4's fault list against the scripted fake SES: every call settles exactly once, with the right
// code, after the right number of HTTP attempts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { QueryClient } from '../../src/client.js';
import { createDispatcher } from '../../src/http.js';
import { SesError, SesQueryTransport, type SesQueryTransportOptions } from '../../src/index.js';
import type { Credentials } from '../../src/credentials/types.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';

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
    credentials: async () => FAKE_CREDENTIALS,
    dispatcher,
    backoff: { baseDelay: 5, throttlingBaseDelay: 10, maxDelay: 50 },
    ...options,
  });
}

function transporter(options: SesQueryTransportOptions = {}) {
  const t = nodemailer.createTransport(new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS, ...options }));
  closers.push(() => t.close());
  return t;
}

const mail = { from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' };
const send = { Source: 'a@example.com', Destination: { ToAddresses: ['b@example.org'] }, Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } };

async function failure(p: Promise<unknown>): Promise<SesError> {
  const result = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(result).toBeInstanceOf(SesError);
  return result as SesError;
}

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

  it('respects Retry-After', async () => {
    fake.enqueue({ error: { code: 'ServiceUnavailable', message: 'later', status: 503 }, headers: { 'retry-after': '0' } });
    const { requests } = await attemptsFor(() => client({ backoff: { baseDelay: 60_000, maxDelay: 60_000 } }).call('SendEmail', send));
    expect(requests).toBe(2);
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
    expect(requests).toBe(101); // 500 tokens / 5 per retry = 100 retries
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
});

describe('expired session token', () => {
  it('refreshes the credentials once and retries the message once', async () => {
    const tokenFake = await startFakeSes({ credentials: [{ accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: 'fresh-token' }] });
    closers.push(() => tokenFake.close());
    const handed: Credentials[] = [];
    let calls = 0;
    const credentials = async (): Promise<Credentials> => {
      const c = { accessKeyId: 'AKIDTMP', secretAccessKey: 'tmp-secret', sessionToken: calls++ === 0 ? 'stale-token' : 'fresh-token', expiration: new Date(Date.now() + 3_600_000) };
      handed.push(c);
      return c;
    };
    const t = nodemailer.createTransport(new SesQueryTransport({ region: 'us-east-1', endpoint: tokenFake.url, credentials }));
    closers.push(() => t.close());
    const info = await t.sendMail(mail);
    expect(info).toMatchObject({ attempts: 2 });
    expect(tokenFake.requests.map((r) => r.headers['x-amz-security-token'])).toEqual(['stale-token', 'fresh-token']);
    expect(calls).toBe(2);
  });
});

describe('time and cancellation', () => {
  it('aborts a message in flight (EABORT) and one still queued', async () => {
    fake.enqueue({ delay: 300 }, { delay: 300 });
    const t = transporter({ maxConnections: 1 });
    const inFlight = new AbortController();
    const queued = new AbortController();
    const a = t.sendMail({ ...mail, signal: inFlight.signal } as never);
    const b = t.sendMail({ ...mail, signal: queued.signal } as never);
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
