// The send path as a user meets it: refusals come before any waiting, the limiter is charged what SES
// counts, what the caller passes in stays the caller's, and options say what they do.
import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { SesError, SesQueryTransport, TokenBucketLimiter, type RateLimiter, type SesQueryTransportOptions } from '../../src/index.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';
import { rejection as failure } from '../support/rejection.js';

let fake: FakeSes;
const closers: Array<() => unknown> = [];
beforeAll(async () => {
  fake = await startFakeSes();
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});
afterAll(() => fake.close());

function transporter(options: SesQueryTransportOptions = {}) {
  const transport = new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS, ...options });
  const t = nodemailer.createTransport(transport);
  closers.push(() => t.close());
  return { t, transport };
}

/** A limiter that lets everything through and records what it was asked for. */
function recordingLimiter(): RateLimiter & { costs: number[]; closed: number } {
  return {
    costs: [],
    closed: 0,
    acquire(_signal?: AbortSignal, cost = 1) {
      this.costs.push(cost);
      return Promise.resolve();
    },
    isReady: () => true,
    onceReady: () => {},
    close() {
      this.closed++;
    },
  };
}

const mail = { from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' };

describe('refusing before waiting', () => {
  it('refuses messages SES would refuse without taking a rate slot, and keeps the good ones in order', async () => {
    const limiter = recordingLimiter();
    const { t } = transporter({ rateLimiter: limiter });
    const outcomes = await Promise.allSettled([
      t.sendMail({ ...mail, to: [] }),
      t.sendMail({ ...mail, subject: 'first' }),
      t.sendMail({ ...mail, to: Array.from({ length: 51 }, (_, i) => `r${i}@example.org`) }),
      t.sendMail({ ...mail, from: undefined, subject: 'no sender', attachments: [{ content: 'x' }] }),
      t.sendMail({ ...mail, subject: 'second' }),
    ]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as SesError).code : 'sent'))).toEqual([
      'EENVELOPE',
      'sent',
      'EMAXRECIPIENTS',
      'EMESSAGE',
      'sent',
    ]);
    expect(limiter.costs).toEqual([1, 1]);
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o.reason as SesError).attempts === 0)).toBe(true);
    const subjects = fake.requests.slice(-2).map((r) => r.params['Message.Subject.Data']);
    expect(subjects).toEqual(['first', 'second']);
  });

  it('at sendingRate 1 refuses three messages with no recipients at once, without delaying the good one', async () => {
    const { t } = transporter({ sendingRate: 1 });
    const started = Date.now();
    const bad = [1, 2, 3].map(() => failure(t.sendMail({ ...mail, to: [] })));
    const good = t.sendMail(mail);
    expect((await Promise.all(bad)).map((e) => e.code)).toEqual(['EENVELOPE', 'EENVELOPE', 'EENVELOPE']);
    await good;
    // Before, each refusal first waited for its one-per-second slot: the good message went after 3 s.
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('refuses a SendEmail over 10 MiB (EMAXLIMIT) before any request', async () => {
    const { t } = transporter();
    const before = fake.requests.length;
    const err = await failure(t.sendMail({ ...mail, text: 'x'.repeat(11 * 1024 * 1024) }));
    expect(err.code).toBe('EMAXLIMIT');
    expect(fake.requests.length).toBe(before);
  });
  it('stops reading an oversized attachment at the limit instead of holding it all (EMAXLIMIT)', async () => {
    const { t } = transporter();
    let produced = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const huge = new Readable({
      read() {
        if (produced >= 200 * 1024 * 1024) return void this.push(null);
        produced += chunk.length;
        this.push(chunk);
      },
    });
    const err = await failure(t.sendMail({ ...mail, attachments: [{ filename: 'huge.bin', content: huge }] }));
    expect(err.code).toBe('EMAXLIMIT');
    // 10 MiB of base64 is about 7.5 MiB of MIME: reading stops near there, not at 200 MiB.
    expect(produced).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('the rate limiter', () => {
  it('is charged per recipient, as SES counts its sending rate', async () => {
    const limiter = recordingLimiter();
    const { t } = transporter({ rateLimiter: limiter });
    await t.sendMail({ ...mail, to: ['b@example.org', 'c@example.org'], cc: 'd@example.org', bcc: ['e@example.org', 'f@example.org'] });
    await t.sendMail({ ...mail, attachments: [{ filename: 'a.txt', content: 'x' }], to: ['b@example.org', 'c@example.org'] });
    expect(limiter.costs).toEqual([5, 2]);
  });

  it("passed in is the caller's: closing one transport leaves it working for another", async () => {
    const shared = new TokenBucketLimiter({ rate: 1000 });
    closers.push(() => shared.close());
    const one = transporter({ rateLimiter: shared });
    const two = transporter({ rateLimiter: shared });
    await one.t.sendMail(mail);
    await one.transport.close();
    await expect(two.t.sendMail(mail)).resolves.toMatchObject({ action: 'SendEmail' });
    const own = recordingLimiter();
    const three = transporter({ rateLimiter: own });
    await three.transport.close();
    expect(own.closed).toBe(0);
  });
});

describe('options', () => {
  it('reports a bad transport-level ses option as ECONFIG', () => {
    for (const ses of [{ Tags: 'x' }, { ConfigurationSetName: 5 }, 'nope']) {
      let caught: unknown;
      try {
        new SesQueryTransport({ region: 'us-east-1', credentials: FAKE_CREDENTIALS, ses: ses as never });
      } catch (err) {
        caught = err;
      }
      expect(caught).toMatchObject({ code: 'ECONFIG' });
    }
  });

  it('accepts debug: true and logs each request with its details, never a secret', async () => {
    const lines: Array<{ level: string; entry: Record<string, unknown>; text: string }> = [];
    const logger = Object.fromEntries(
      ['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((level) => [
        level,
        (entry: Record<string, unknown>, ...rest: unknown[]) => lines.push({ level, entry, text: rest.map(String).join(' ') }),
      ]),
    );
    const { t } = transporter({ debug: true, logger });
    await t.sendMail(mail);
    const http = lines.find((l) => l.entry.tnx === 'http');
    expect(http).toMatchObject({
      level: 'debug',
      entry: { component: 'ses-query', action: 'SendEmail', status: 200, attempt: 1, endpoint: fake.url },
    });
    expect(typeof http!.entry.bytes).toBe('number');
    const all = JSON.stringify(lines);
    expect(all).not.toContain(FAKE_CREDENTIALS.secretAccessKey);
    expect(all).not.toMatch(/Signature=|[0-9a-f]{64}/);
    // Without debug, no per-request lines.
    const quiet: unknown[] = [];
    const { t: t2 } = transporter({
      logger: { debug: (e: unknown) => void ((e as { tnx: string }).tnx === 'http' && quiet.push(e)), info: () => {} },
    });
    await t2.sendMail(mail);
    expect(quiet).toEqual([]);
  });

  it('applies timeout to connecting too: a TLS handshake that never ends fails after timeout, saying so', async () => {
    const sockets = new Set<Socket>();
    const server: Server = createServer((s) => void sockets.add(s)); // accepts TCP, never speaks TLS
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    });
    const port = (server.address() as { port: number }).port;
    const { t } = transporter({ endpoint: `https://127.0.0.1:${port}`, timeout: 300, maxAttempts: 1 });
    const err = await failure(t.sendMail(mail));
    expect(err.code).toBe('ETIMEDOUT');
    expect(err.message).toMatch(/connecting timed out/);
    expect(err.message).toMatch(/300 ?ms/);
  });
});
