import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SesError } from '../../../src/errors.js';
import { normalizeSesOptions, mergeSesOptions } from '../../../src/mapping/index.js';
import { displayName, encodedWords } from '../../../src/mapping/address.js';
import fc from 'fast-check';
import { joinCrlf } from '../../../src/mapping/raw-message.js';
import { mapThroughNodemailer, rawMime } from '../../support/capture.js';

async function refused(message: Record<string, unknown>): Promise<SesError> {
  try {
    await mapThroughNodemailer(message);
  } catch (err) {
    expect(err).toBeInstanceOf(SesError);
    expect((err as SesError).attempts).toBe(0);
    return err as SesError;
  }
  throw new Error('expected a refusal');
}

describe('SendEmail parameters', () => {
  it('keeps display names, encodes non-ASCII ones, and puts domains in Punycode', async () => {
    const { mapped } = await mapThroughNodemailer({
      from: '"Zoë Ångström" <zoe@bücher.example>',
      to: ['"Smith, Ann" <ann@example.org>', 'bob@example.org'],
      cc: 'Carl <carl@example.org>',
      bcc: 'dora@example.org',
      replyTo: 'help@example.com',
      subject: 'Grüße',
      text: 'plain',
      html: '<b>rich</b>',
      ses: { ConfigurationSetName: 'cs', Tags: [{ Name: 'kind', Value: 'reset' }], ReturnPath: 'bounce@example.com' },
    });
    expect(mapped.params).toEqual({
      Source: `=?UTF-8?B?${Buffer.from('Zoë Ångström').toString('base64')}?= <zoe@xn--bcher-kva.example>`,
      Destination: {
        ToAddresses: ['"Smith, Ann" <ann@example.org>', 'bob@example.org'],
        CcAddresses: ['Carl <carl@example.org>'],
        BccAddresses: ['dora@example.org'],
      },
      Message: {
        Subject: { Data: 'Grüße', Charset: 'UTF-8' },
        Body: { Text: { Data: 'plain', Charset: 'UTF-8' }, Html: { Data: '<b>rich</b>', Charset: 'UTF-8' } },
      },
      ReplyToAddresses: ['help@example.com'],
      ReturnPath: 'bounce@example.com',
      SourceArn: undefined,
      ReturnPathArn: undefined,
      Tags: [{ Name: 'kind', Value: 'reset' }],
      ConfigurationSetName: 'cs',
    });
    expect(mapped.envelope).toEqual({
      from: 'zoe@xn--bcher-kva.example',
      to: ['ann@example.org', 'bob@example.org', 'carl@example.org', 'dora@example.org'],
    });
  });

  it('splits long non-ASCII names into encoded-words of at most 75 characters', () => {
    const words = encodedWords('Ünïcödé '.repeat(20)).split(' ');
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    const decoded = words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8')).join('');
    expect(decoded).toBe('Ünïcödé '.repeat(20));
    expect(displayName('Plain Name')).toBe('Plain Name');
    expect(displayName('Quote "me", please')).toBe('"Quote \\"me\\", please"');
  });
});

describe('SendRawEmail parameters', () => {
  it("sends Nodemailer's MIME with CRLF, Destinations from the envelope and no Bcc header", async () => {
    const { mapped } = await mapThroughNodemailer({
      from: 'billing@example.com',
      to: 'ana@example.org',
      bcc: 'archive@example.net',
      subject: 'Invoice',
      text: 'line one\nline two\n',
      attachments: [{ filename: 'a.txt', content: 'x\ny' }],
      ses: { ConfigurationSetName: 'cs', FromEmailAddressIdentityArn: 'arn:aws:ses:us-east-1:1:identity/example.com' },
    });
    expect(mapped.action).toBe('SendRawEmail');
    expect(mapped.params).toMatchObject({
      Source: 'billing@example.com',
      Destinations: ['ana@example.org', 'archive@example.net'],
      SourceArn: 'arn:aws:ses:us-east-1:1:identity/example.com',
      FromArn: 'arn:aws:ses:us-east-1:1:identity/example.com',
      ConfigurationSetName: 'cs',
    });
    const mime = rawMime(mapped);
    expect(mime).not.toMatch(/^bcc:/im);
    expect(mime).not.toMatch(/archive@example\.net/);
    expect(mime.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('uses a custom envelope sender as Source and ses.ReturnPath over it', async () => {
    const envelope = { from: 'bounces@example.com', to: ['ana@example.org'] };
    const a = await mapThroughNodemailer({ from: 'a@example.com', to: 'x@example.org', subject: 's', text: 't', envelope });
    expect(a.mapped.params).toMatchObject({ Source: 'bounces@example.com', Destinations: ['ana@example.org'] });
    const b = await mapThroughNodemailer({
      from: 'a@example.com',
      to: 'x@example.org',
      subject: 's',
      text: 't',
      envelope,
      ses: { ReturnPath: 'rp@example.com' },
    });
    expect(b.mapped.params).toMatchObject({ Source: 'rp@example.com' });
  });

  it('signs with DKIM and keeps Date and Message-ID out of the signature', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const { mapped } = await mapThroughNodemailer({
      from: 'a@example.com',
      to: 'b@example.org',
      subject: 's',
      text: 't',
      dkim: { domainName: 'example.com', keySelector: 'sel', privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
    });
    const mime = rawMime(mapped);
    const header = /^DKIM-Signature:([\s\S]*?)\r\n(?![ \t])/m.exec(mime)?.[1] ?? '';
    expect(header).toContain('d=example.com');
    const signed = /(?:^|;)\s*h=([^;]+)/
      .exec(header.replace(/\r\n[ \t]+/g, ''))![1]!
      .toLowerCase()
      .split(':')
      .map((h) => h.trim());
    expect(signed).toContain('from');
    expect(signed).not.toContain('date');
    expect(signed).not.toContain('message-id');
  });

  it('converts only lone LFs to CRLF and returns the same buffer when there are none', () => {
    const clean = Buffer.from('a\r\nb\r\n');
    expect(joinCrlf([clean])).toBe(clean);
    expect(joinCrlf([Buffer.from('\na\nb\r\nc\n')]).toString()).toBe('\r\na\r\nb\r\nc\r\n');
    expect(joinCrlf([Buffer.from('a\r'), Buffer.from('\nb'), Buffer.from('\n')]).toString()).toBe('a\r\nb\r\n');
  });

  it('joins any chunks of any text into the same CRLF text, across chunk boundaries', () => {
    const text = fc.array(fc.constantFrom('a', 'é', '\r', '\n', '\r\n'), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (s, cuts) => {
        const whole = Buffer.from(s);
        const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
        const chunks = [...points, whole.length].map((end, i, all) => whole.subarray(i === 0 ? 0 : all[i - 1], end));
        expect(joinCrlf(chunks).toString()).toBe(s.replace(/(?<!\r)\n/g, '\r\n'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('pre-flight refusals', () => {
  it('refuses no recipients, 51 recipients and an oversized message before any network', async () => {
    expect((await refused({ from: 'a@example.com', subject: 's', text: 't' })).code).toBe('EENVELOPE');
    const many = Array.from({ length: 51 }, (_, i) => `r${i}@example.org`);
    expect((await refused({ from: 'a@example.com', to: many, subject: 's', text: 't' })).code).toBe('EMAXRECIPIENTS');
    expect(
      (await mapThroughNodemailer({ from: 'a@example.com', to: many.slice(0, 50), subject: 's', text: 't' })).mapped.envelope.to,
    ).toHaveLength(50);
    const big = Buffer.alloc(8 * 1024 * 1024, 1);
    const err = await refused({
      from: 'a@example.com',
      to: 'b@example.org',
      subject: 's',
      text: 't',
      attachments: [{ filename: 'big.bin', content: big }],
    });
    expect(err.code).toBe('EMAXLIMIT');
  });

  it('names an unknown ses key and rejects bad tags', async () => {
    expect(
      (await refused({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't', ses: { ConfigurationSet: 'x' } })).message,
    ).toContain('"ConfigurationSet"');
    const bad = await refused({
      from: 'a@example.com',
      to: 'b@example.org',
      subject: 's',
      text: 't',
      ses: { Tags: [{ Name: 'has space', Value: 'v' }] },
    });
    expect(bad.code).toBe('EMESSAGE');
  });
});

describe('ses options', () => {
  it('folds SESv2 names into v1 parameters and refuses contradictions', () => {
    expect(
      normalizeSesOptions(
        {
          EmailTags: [{ Name: 'a', Value: 'b' }],
          FeedbackForwardingEmailAddress: 'f@example.com',
          FeedbackForwardingEmailAddressIdentityArn: 'arn:x',
        },
        'message',
      ),
    ).toEqual({
      Tags: [{ Name: 'a', Value: 'b' }],
      ReturnPath: 'f@example.com',
      ReturnPathArn: 'arn:x',
    });
    expect(() => normalizeSesOptions({ ReturnPath: 'a@example.com', FeedbackForwardingEmailAddress: 'b@example.com' }, 'message')).toThrow(
      /contradicts/,
    );
  });

  it('lets a message override the transport defaults key by key, Tags as a whole', () => {
    const defaults = normalizeSesOptions(
      { ConfigurationSetName: 'default', Tags: [{ Name: 'a', Value: '1' }], ReturnPath: 'r@example.com' },
      'transport',
    );
    const merged = mergeSesOptions(
      defaults,
      normalizeSesOptions({ ConfigurationSetName: 'special', Tags: [{ Name: 'b', Value: '2' }] }, 'message'),
    );
    expect(merged).toEqual({ ConfigurationSetName: 'special', Tags: [{ Name: 'b', Value: '2' }], ReturnPath: 'r@example.com' });
  });
});
