// Real Nodemailer → SesQueryTransport → the signature-checking fake SES, over HTTP and HTTPS.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { SesError, SesQueryTransport, type SesQueryTransportOptions } from '../../src/index.js';
import { createDispatcher } from '../../src/wire/http.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

function transporterFor(fake: FakeSes, options: SesQueryTransportOptions = {}) {
  const transport = new SesQueryTransport({
    region: fake.region,
    endpoint: fake.url,
    credentials: FAKE_CREDENTIALS,
    ...(fake.ca ? { dispatcher: createDispatcher({ tls: { ca: fake.ca } }) } : {}),
    ...options,
  });
  const transporter = nodemailer.createTransport(transport);
  open.push(transporter);
  return { transport, transporter };
}

describe.each([
  ['HTTP', false],
  ['HTTPS', true],
])('over %s', (_label, https) => {
  let fake: FakeSes;
  beforeAll(async () => {
    fake = await startFakeSes({ https, region: 'eu-west-1' });
  });
  afterAll(() => fake.close());

  it('sends SendEmail with a signature SES accepts and reports ids as Nodemailer does', async () => {
    const { transporter } = transporterFor(fake, { ses: { ConfigurationSetName: 'default-set', Tags: [{ Name: 'app', Value: 'web' }] } });
    const info = await transporter.sendMail({
      from: '"Zoë" <zoe@bücher.example>',
      to: ['ana@example.org', 'bo@example.org'],
      cc: 'cy@example.org',
      bcc: 'di@example.org',
      replyTo: 'help@example.com',
      subject: 'Grüße',
      text: 'hi',
      html: '<b>hi</b>',
      ses: { Tags: [{ Name: 'kind', Value: 'reset' }] },
    });
    const req = fake.requests.at(-1)!;
    expect(info).toMatchObject({
      action: 'SendEmail',
      attempts: 1,
      response: fake.accepted.at(-1)!.messageId,
      messageId: `<${info.response}@eu-west-1.amazonses.com>`,
    });
    expect(info.requestId).toMatch(/^req-/);
    expect(req.params).toMatchObject({
      Action: 'SendEmail',
      Source: `=?UTF-8?B?${Buffer.from('Zoë').toString('base64')}?= <zoe@xn--bcher-kva.example>`,
      'Destination.ToAddresses.member.1': 'ana@example.org',
      'Destination.ToAddresses.member.2': 'bo@example.org',
      'Destination.CcAddresses.member.1': 'cy@example.org',
      'Destination.BccAddresses.member.1': 'di@example.org',
      'ReplyToAddresses.member.1': 'help@example.com',
      'Message.Subject.Data': 'Grüße',
      'Message.Subject.Charset': 'UTF-8',
      'Message.Body.Html.Data': '<b>hi</b>',
      ConfigurationSetName: 'default-set',
      'Tags.member.1.Name': 'kind',
      'Tags.member.1.Value': 'reset',
    });
    expect(req.params['Tags.member.2.Name']).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
  });

  it('sends SendRawEmail with Bcc only in Destinations and CRLF line endings', async () => {
    const { transporter } = transporterFor(fake);
    const info = await transporter.sendMail({
      from: 'billing@example.com',
      to: 'ana@example.org',
      bcc: 'archive@example.net',
      subject: 'Invoice',
      text: 'see attached',
      list: { unsubscribe: 'https://example.com/u' },
      headers: { 'X-Campaign': 'spring' },
      attachments: [{ filename: 'a.txt', content: 'line\nline' }],
    });
    const req = fake.requests.at(-1)!;
    expect(info.action).toBe('SendRawEmail');
    expect(req.params).toMatchObject({
      Source: 'billing@example.com',
      'Destinations.member.1': 'ana@example.org',
      'Destinations.member.2': 'archive@example.net',
    });
    expect(req.rawMime).toMatch(/^List-Unsubscribe: <https:\/\/example\.com\/u>\r$/m);
    expect(req.rawMime).toMatch(/^X-Campaign: spring\r$/m);
    expect(req.rawMime).not.toMatch(/archive@example\.net/);
    expect(req.rawMime!.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('verify() makes a signed GetSendQuota call; getSendQuota() reads the numbers', async () => {
    const { transport, transporter } = transporterFor(fake);
    await expect(transporter.verify()).resolves.toBe(true);
    expect(fake.requests.at(-1)!.action).toBe('GetSendQuota');
    await expect(transport.getSendQuota()).resolves.toEqual({
      max24HourSend: 50000,
      maxSendRate: 14,
      sentLast24Hours: fake.accepted.length,
    });
  });
});

describe('errors', () => {
  let fake: FakeSes;
  beforeAll(async () => {
    fake = await startFakeSes({ region: 'us-east-1' });
  });
  afterAll(() => fake.close());

  it('reports a wrong secret as SignatureDoesNotMatch, once, with status and request id', async () => {
    const { transporter } = transporterFor(fake, {
      credentials: { accessKeyId: FAKE_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong-secret' },
    });
    const before = fake.requests.length;
    const err = (await transporter
      .sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' })
      .catch((e: unknown) => e)) as SesError;
    expect(err).toBeInstanceOf(SesError);
    expect(err).toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 403, retryable: false, attempts: 1, type: 'Sender' });
    expect(err.requestId).toMatch(/^req-/);
    expect(fake.requests.length - before).toBe(1);
    await expect(transporter.verify()).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('reports an unknown key as InvalidClientTokenId', async () => {
    const { transporter } = transporterFor(fake, { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } });
    await expect(transporter.verify()).rejects.toMatchObject({ code: 'InvalidClientTokenId', statusCode: 403 });
  });

  it('refuses bad messages before any request', async () => {
    const { transporter } = transporterFor(fake);
    const before = fake.requests.length;
    const send = (extra: Record<string, unknown>) =>
      transporter
        .sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't', ...extra })
        .catch((e: SesError) => e.code);
    expect(await send({ ses: { Unknown: 1 } })).toBe('EMESSAGE');
    expect(await send({ to: Array.from({ length: 51 }, (_, i) => `r${i}@example.org`) })).toBe('EMAXRECIPIENTS');
    expect(await send({ to: undefined })).toBe('EENVELOPE');
    expect(await send({ attachments: [{ filename: 'big', content: Buffer.alloc(8 * 1024 * 1024) }] })).toBe('EMAXLIMIT');
    expect(fake.requests.length).toBe(before);
  });

  it('takes no message after close()', async () => {
    const { transport, transporter } = transporterFor(fake);
    await transport.close();
    const err = (await transporter
      .sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' })
      .catch((e: unknown) => e)) as SesError;
    expect(err.code).toBe('ECLOSED');
  });

  it('runs a throwing callback once, outside any promise chain', async () => {
    const { transporter } = transporterFor(fake);
    const thrown: unknown[] = [];
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', (err) => thrown.push(err));
    let calls = 0;
    try {
      await new Promise<void>((resolve) => {
        transporter.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' }, () => {
          calls++;
          setTimeout(resolve, 50);
          throw new Error('thrown by the callback');
        });
      });
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const l of listeners) process.on('uncaughtException', l);
    }
    expect(calls).toBe(1);
    expect(thrown).toHaveLength(1);
  });

  it('never logs or reports the secret key, session token or signature', async () => {
    const secret = 'SECRET-KEY-never-to-be-seen';
    const token = 'SESSION-TOKEN-never-to-be-seen';
    const tokenFake = await startFakeSes({ credentials: [{ accessKeyId: 'AKIDTOKEN', secretAccessKey: secret, sessionToken: token }] });
    const lines: string[] = [];
    const capture = (...args: unknown[]) => lines.push(JSON.stringify(args));
    const logger = { trace: capture, debug: capture, info: capture, warn: capture, error: capture, fatal: capture };
    try {
      const ok = transporterFor(tokenFake, {
        credentials: { accessKeyId: 'AKIDTOKEN', secretAccessKey: secret, sessionToken: token },
        logger,
      });
      await ok.transporter.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' });
      const bad = transporterFor(tokenFake, {
        credentials: { accessKeyId: 'AKIDTOKEN', secretAccessKey: `${secret}-wrong`, sessionToken: token },
        logger,
        maxAttempts: 1,
      });
      const err = await bad.transporter
        .sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' })
        .catch((e: unknown) => e);
      const signatures = tokenFake.requests.map((r) => /Signature=([0-9a-f]+)/.exec(r.headers.authorization ?? '')![1]!);
      const everything = [
        ...lines,
        JSON.stringify(err),
        String((err as Error).message),
        JSON.stringify(Object.entries(err as object)),
      ].join('\n');
      expect(lines.length).toBeGreaterThan(0);
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(token);
      for (const s of signatures) expect(everything).not.toContain(s);
    } finally {
      await tokenFake.close();
    }
  });
});

describe('the X-SES-* header convention (framework mailers)', () => {
  let fake: FakeSes;
  beforeAll(async () => {
    fake = await startFakeSes();
  });
  afterAll(() => fake.close());

  it('turns the headers into parameters, and a ses parameter wins over its header', async () => {
    const { transporter } = transporterFor(fake);
    await transporter.sendMail({
      from: 'a@example.com',
      to: 'b@example.org',
      subject: 's',
      text: 't',
      headers: {
        'X-SES-CONFIGURATION-SET': 'from-header',
        'X-SES-MESSAGE-TAGS': 'campaign=spring, kind=newsletter',
        'X-SES-SOURCE-ARN': 'arn:aws:ses:us-east-1:1:identity/example.com',
        'X-SES-RETURN-PATH-ARN': 'arn:aws:ses:us-east-1:1:identity/rp.example.com',
      },
      ses: { ConfigurationSetName: 'from-param' },
    });
    const req = fake.requests.at(-1)!;
    expect(req.action).toBe('SendRawEmail');
    expect(req.params).toMatchObject({
      ConfigurationSetName: 'from-param',
      'Tags.member.1.Name': 'campaign',
      'Tags.member.1.Value': 'spring',
      'Tags.member.2.Name': 'kind',
      'Tags.member.2.Value': 'newsletter',
      SourceArn: 'arn:aws:ses:us-east-1:1:identity/example.com',
      ReturnPathArn: 'arn:aws:ses:us-east-1:1:identity/rp.example.com',
    });
    expect(req.rawMime).toMatch(/^X-SES-CONFIGURATION-SET: from-header\r$/im); // SES reads header names in any case
  });

  it('refuses a malformed tags header before sending', async () => {
    const { transporter } = transporterFor(fake);
    const before = fake.requests.length;
    const err = await transporter
      .sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't', headers: { 'X-SES-MESSAGE-TAGS': 'bad name=x' } })
      .catch((e: SesError) => e);
    expect((err as SesError).code).toBe('EMESSAGE');
    expect(fake.requests.length).toBe(before);
  });
});
