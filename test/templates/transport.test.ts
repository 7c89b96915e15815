// Real Nodemailer → SesQueryTransport → the signature-checking fake SES, with SES templates.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { SesError, SesQueryTransport, type SesQueryTransportOptions } from '../../src/index.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

function transporterFor(fake: FakeSes, options: SesQueryTransportOptions = {}) {
  const transport = new SesQueryTransport({ region: fake.region, endpoint: fake.url, credentials: FAKE_CREDENTIALS, ...options });
  const transporter = nodemailer.createTransport(transport);
  open.push(transporter);
  return { transport, transporter };
}

let fake: FakeSes;
beforeAll(async () => {
  fake = await startFakeSes({ region: 'eu-west-1' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.accepted.length = 0;
  fake.bulkStatus = undefined;
  fake.clearScript();
  fake.templates.clear();
  fake.templates.set('welcome', {
    TemplateName: 'welcome',
    SubjectPart: 'Hi {{name}}',
    TextPart: 'Hello {{name}}',
    CreatedTimestamp: new Date().toISOString(),
  });
});

describe('one templated message (SendTemplatedEmail)', () => {
  it('maps addresses, SES options, X-SES-* headers and TemplateData, and reports the action', async () => {
    const { transporter } = transporterFor(fake, { templateBatching: false, ses: { ConfigurationSetName: 'default-set' } });
    const info = await transporter.sendMail({
      from: '"Zoë" <zoe@bücher.example>',
      to: 'ana@example.org',
      cc: 'cy@example.org',
      bcc: 'di@example.org',
      replyTo: 'help@example.com',
      headers: { 'X-SES-MESSAGE-TAGS': 'campaign=spring' },
      ses: {
        Template: 'welcome',
        TemplateData: { name: 'Ana' },
        ReturnPath: 'bounce@example.com',
        SourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
      },
    });
    const req = fake.requests.at(-1)!;
    expect(info).toMatchObject({
      action: 'SendTemplatedEmail',
      attempts: 1,
      response: fake.accepted.at(-1)!.messageId,
      messageId: `<${info.response}@eu-west-1.amazonses.com>`,
    });
    expect(info.envelope.to).toEqual(['ana@example.org', 'cy@example.org', 'di@example.org']);
    expect(req.params).toMatchObject({
      Action: 'SendTemplatedEmail',
      Source: `=?UTF-8?B?${Buffer.from('Zoë').toString('base64')}?= <zoe@xn--bcher-kva.example>`,
      'Destination.ToAddresses.member.1': 'ana@example.org',
      'Destination.CcAddresses.member.1': 'cy@example.org',
      'Destination.BccAddresses.member.1': 'di@example.org',
      'ReplyToAddresses.member.1': 'help@example.com',
      ReturnPath: 'bounce@example.com',
      SourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
      ConfigurationSetName: 'default-set',
      'Tags.member.1.Name': 'campaign',
      'Tags.member.1.Value': 'spring',
      Template: 'welcome',
      TemplateData: '{"name":"Ana"}',
    });
  });

  it('takes TemplateData as JSON text, and the template name from a TemplateArn', async () => {
    const { transporter } = transporterFor(fake, { templateBatching: false });
    const arn = 'arn:aws:ses:eu-west-1:123456789012:template/welcome';
    await transporter.sendMail({ from: 'a@example.com', to: 'b@example.org', ses: { TemplateArn: arn, TemplateData: '{"name":"Bo"}' } });
    expect(fake.requests.at(-1)!.params).toMatchObject({ Template: 'welcome', TemplateArn: arn, TemplateData: '{"name":"Bo"}' });
  });

  it.each([
    ['subject', { subject: 'Hi' }, /"subject"/],
    ['text', { text: 'body' }, /"text"/],
    ['html', { html: '<b>x</b>' }, /"html"/],
    ['attachments', { attachments: [{ filename: 'a.txt', content: 'x' }] }, /"attachments"/],
    ['a custom header', { headers: { 'X-Campaign': '1' } }, /header "x-campaign"/],
    ['FromArn', { ses: { Template: 'welcome', FromArn: 'arn:aws:ses:eu-west-1:1:identity/x' } }, /FromArn/],
    ['invalid JSON', { ses: { Template: 'welcome', TemplateData: '{name:' } }, /not valid JSON/],
    ['a JSON array', { ses: { Template: 'welcome', TemplateData: '[1]' } }, /must be a JSON object/],
    ['over 262144 bytes of data', { ses: { Template: 'welcome', TemplateData: { big: 'x'.repeat(262_144) } } }, /at most 262144/],
  ])('refuses a templated message with %s, with EMESSAGE and before any request', async (_label, extra, message) => {
    const { transporter } = transporterFor(fake, { templateBatching: false });
    const err = (await transporter
      .sendMail({ from: 'a@example.com', to: 'b@example.org', ses: { Template: 'welcome' }, ...extra })
      .catch((e: unknown) => e)) as SesError;
    expect(err).toBeInstanceOf(SesError);
    expect(err).toMatchObject({ code: 'EMESSAGE', attempts: 0 });
    expect(err.message).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });

  it("rejects with SES's own code when the template does not exist", async () => {
    const { transporter } = transporterFor(fake, { templateBatching: false });
    const err = await transporter
      .sendMail({ from: 'a@example.com', to: 'b@example.org', ses: { Template: 'nope' } })
      .catch((e: SesError) => e);
    expect(err).toMatchObject({ code: 'TemplateDoesNotExist', retryable: false, statusCode: 400 });
  });
});

describe('batching (SendBulkTemplatedEmail)', () => {
  const newsletter = (i: number, extra: Record<string, unknown> = {}) => ({
    from: 'news@example.com',
    to: `user${i}@example.org`,
    ses: { Template: 'welcome', TemplateData: { name: `U${i}` }, Tags: [{ Name: 'sub', Value: `s${i}` }] },
    ...extra,
  });

  it('500 sendMail calls for one template become at most 10 requests, each settled with its own result', async () => {
    const { transporter } = transporterFor(fake, { templateBatching: { maxWaitMs: 200 } });
    // Every 7th subscriber is rejected by SES; every 11th fails transiently.
    fake.bulkStatus = (d) => {
      const i = Number(/user(\d+)@/.exec(d.to[0]!)![1]);
      if (i % 7 === 0) return { Status: 'MessageRejected', Error: `Address ${d.to[0]} is on the suppression list` };
      if (i % 11 === 0) return { Status: 'TransientFailure', Error: 'Try again' };
      return undefined;
    };
    const results = await Promise.allSettled(Array.from({ length: 500 }, (_, i) => transporter.sendMail(newsletter(i))));
    expect(fake.requests.length).toBeLessThanOrEqual(10);
    expect(new Set(fake.requests.map((r) => r.action))).toEqual(new Set(['SendBulkTemplatedEmail']));
    const ids = new Set<string>();
    results.forEach((r, i) => {
      if (i % 7 === 0) {
        expect(r.status).toBe('rejected');
        const err = (r as PromiseRejectedResult).reason as SesError;
        expect(err).toBeInstanceOf(SesError);
        expect(err).toMatchObject({ code: 'MessageRejected', retryable: false });
        expect(err.message).toContain(`user${i}@example.org`);
      } else if (i % 11 === 0) {
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'TransientFailure', retryable: true });
      } else {
        expect(r.status).toBe('fulfilled');
        const info = (r as PromiseFulfilledResult<{ action: string; response: string; envelope: { to: string[] } }>).value;
        expect(info.action).toBe('SendBulkTemplatedEmail');
        expect(info.envelope.to).toEqual([`user${i}@example.org`]);
        // Its own MessageId: the one SES gave the destination with this address.
        expect(fake.accepted.find((a) => a.messageId === info.response)!.destination!.to).toEqual([`user${i}@example.org`]);
        ids.add(info.response);
      }
    });
    expect(ids.size).toBe(fake.accepted.length);
    // Per-destination data and tags went with their destination; nothing was resent.
    const first = fake.requests[0]!.params;
    expect(first).toMatchObject({ Source: 'news@example.com', Template: 'welcome', DefaultTemplateData: '{}' });
    const destinations = fake.requests.flatMap((r) =>
      Object.keys(r.params)
        .filter((k) => /^Destinations\.member\.\d+\.Destination\.ToAddresses\.member\.1$/.test(k))
        .map((k) => r.params[k]),
    );
    expect(destinations).toHaveLength(500);
    expect(new Set(destinations).size).toBe(500);
    const d = fake.accepted.find((a) => a.destination?.to[0] === 'user1@example.org')!.destination!;
    expect(d).toMatchObject({ data: '{"name":"U1"}', tags: [{ Name: 'sub', Value: 's1' }] });
  });

  it('retries a throttled bulk request as a whole, and never resends accepted destinations', async () => {
    const { transporter } = transporterFor(fake, { templateBatching: { maxWaitMs: 200, maxDestinations: 50 } });
    fake.enqueue({ error: { code: 'Throttling', message: 'Maximum sending rate exceeded.' } });
    fake.bulkStatus = (_d, i) => (i === 3 ? { Status: 'TransientFailure', Error: 'later' } : undefined);
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => transporter.sendMail(newsletter(i))));
    expect(fake.requests.map((r) => r.action)).toEqual(['SendBulkTemplatedEmail', 'SendBulkTemplatedEmail']);
    expect(fake.requests[1]!.rawBody).toBe(fake.requests[0]!.rawBody);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(49);
    for (const r of results) if (r.status === 'fulfilled') expect(r.value).toMatchObject({ action: 'SendBulkTemplatedEmail', attempts: 2 });
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'TransientFailure', retryable: true, attempts: 2 });
    // The destination that failed was reported, not retried: 2 requests in all, 49 accepted once each.
    expect(fake.accepted).toHaveLength(49);
  });

  it('never retries a bulk request after a failure SES may have acted on (a 503), even with retryAmbiguous', async () => {
    const { transporter } = transporterFor(fake, { templateBatching: { maxWaitMs: 100 } });
    fake.enqueue({ error: { code: 'ServiceUnavailable', message: 'busy', status: 503, type: 'Receiver' } });
    const results = await Promise.allSettled([1, 2, 3].map((i) => transporter.sendMail(newsletter(i))));
    for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'ServiceUnavailable', attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it("accepts Strapi's disableFileAccess/disableUrlAccess on a templated message", async () => {
    const { transporter } = transporterFor(fake, { templateBatching: false });
    const info = await transporter.sendMail({ ...newsletter(1), disableFileAccess: true, disableUrlAccess: true });
    expect(info).toMatchObject({ action: 'SendTemplatedEmail' });
  });

  it('an abort of one message while it waits removes only it', async () => {
    const { transporter } = transporterFor(fake, { templateBatching: { maxWaitMs: 300 } });
    const controller = new AbortController();
    const sends = Array.from({ length: 5 }, (_, i) => transporter.sendMail(newsletter(i, i === 2 ? { signal: controller.signal } : {})));
    setTimeout(() => controller.abort(), 20);
    const results = await Promise.allSettled(sends);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'EABORT' });
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(fake.requests).toHaveLength(1);
    const sent = Object.keys(fake.requests[0]!.params)
      .filter((k) => k.endsWith('.Destination.ToAddresses.member.1'))
      .map((k) => fake.requests[0]!.params[k]);
    expect(sent).toEqual(['user0@example.org', 'user1@example.org', 'user3@example.org', 'user4@example.org']);
  });

  it('groups only compatible messages, and sends a lone message as SendTemplatedEmail', async () => {
    const { transporter } = transporterFor(fake, { templateBatching: { maxWaitMs: 100 } });
    fake.templates.set('other', { TemplateName: 'other', SubjectPart: 'x', CreatedTimestamp: new Date().toISOString() });
    const infos = await Promise.all([
      transporter.sendMail(newsletter(1)),
      transporter.sendMail(newsletter(2)),
      transporter.sendMail(newsletter(3, { replyTo: 'other@example.com' })),
      transporter.sendMail(newsletter(4, { ses: { Template: 'other' } })),
      transporter.sendMail(newsletter(5, { ses: { Template: 'welcome', ConfigurationSetName: 'b' } })),
    ]);
    expect(infos.map((i) => i.action)).toEqual([
      'SendBulkTemplatedEmail',
      'SendBulkTemplatedEmail',
      'SendTemplatedEmail',
      'SendTemplatedEmail',
      'SendTemplatedEmail',
    ]);
    expect(fake.requests).toHaveLength(4);
  });

  it('a whole-request failure rejects every message of the batch with that error', async () => {
    const { transporter } = transporterFor(fake, { templateBatching: { maxWaitMs: 100 } });
    const results = await Promise.allSettled([1, 2, 3].map((i) => transporter.sendMail(newsletter(i, { ses: { Template: 'missing' } }))));
    for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'TemplateDoesNotExist' });
    expect(fake.requests).toHaveLength(1);
  });

  it('close() sends messages still waiting for company', async () => {
    const { transport, transporter } = transporterFor(fake, { templateBatching: { maxWaitMs: 1000 } });
    const sends = [transporter.sendMail(newsletter(1)), transporter.sendMail(newsletter(2))];
    await new Promise((r) => setTimeout(r, 20));
    await transport.close();
    expect((await Promise.all(sends)).map((i) => i.action)).toEqual(['SendBulkTemplatedEmail', 'SendBulkTemplatedEmail']);
  });

  it('refuses bad templateBatching options with ECONFIG', () => {
    for (const bad of [{ maxWaitMs: -1 }, { maxDestinations: 51 }, { maxDestinations: 1.5 }, { wait: 1 }, true]) {
      expect(() => new SesQueryTransport({ region: 'eu-west-1', credentials: FAKE_CREDENTIALS, templateBatching: bad as never })).toThrow(
        expect.objectContaining({ code: 'ECONFIG' }),
      );
    }
  });
});

describe('batching without ses:SendBulkTemplatedEmail', () => {
  it('falls back to one SendTemplatedEmail each when SES answers AccessDenied, and stops batching', async () => {
    const { transporter } = transporterFor(fake, { templateBatching: { maxWaitMs: 100 } });
    fake.enqueue({ error: { code: 'AccessDenied', message: 'User is not authorized to perform ses:SendBulkTemplatedEmail', status: 403 } });
    const msg = (i: number) => ({
      from: 'a@example.com',
      to: `u${i}@example.org`,
      ses: { Template: 'welcome', TemplateData: { name: `U${i}` } },
    });
    const infos = await Promise.all([1, 2, 3].map((i) => transporter.sendMail(msg(i))));
    expect(infos.map((i) => i.action)).toEqual(['SendTemplatedEmail', 'SendTemplatedEmail', 'SendTemplatedEmail']);
    expect(infos.map((i) => i.envelope.to[0])).toEqual(['u1@example.org', 'u2@example.org', 'u3@example.org']);
    expect(fake.requests.map((r) => r.action)).toEqual([
      'SendBulkTemplatedEmail',
      'SendTemplatedEmail',
      'SendTemplatedEmail',
      'SendTemplatedEmail',
    ]);
    await Promise.all([4, 5].map((i) => transporter.sendMail(msg(i))));
    expect(fake.requests.slice(4).map((r) => r.action)).toEqual(['SendTemplatedEmail', 'SendTemplatedEmail']);
  });
});

describe('rate limiting', () => {
  function recordingLimiter() {
    const costs: number[] = [];
    return {
      costs,
      limiter: {
        acquire: (_signal?: AbortSignal, cost?: number) => (costs.push(cost ?? 1), Promise.resolve()),
        isReady: () => true,
        onceReady: () => {},
      },
    };
  }
  const msg = (to: string[]) => ({ from: 'a@example.com', to, ses: { Template: 'welcome', TemplateData: { name: 'x' } } });

  it('charges a bulk request once, with the recipients of all its destinations', async () => {
    const { costs, limiter } = recordingLimiter();
    const { transporter } = transporterFor(fake, { rateLimiter: limiter, templateBatching: { maxWaitMs: 100 } });
    await Promise.all(
      [msg(['a@example.org']), msg(['b@example.org', 'c@example.org']), msg(['d@example.org'])].map((m) => transporter.sendMail(m)),
    );
    expect(fake.requests.map((r) => r.action)).toEqual(['SendBulkTemplatedEmail']);
    expect(costs).toEqual([4]);
  });

  it('charges each SendTemplatedEmail with its recipients when batching is off', async () => {
    const { costs, limiter } = recordingLimiter();
    const { transporter } = transporterFor(fake, { rateLimiter: limiter, templateBatching: false });
    await transporter.sendMail(msg(['a@example.org', 'b@example.org', 'c@example.org']));
    expect(costs).toEqual([3]);
  });
});
