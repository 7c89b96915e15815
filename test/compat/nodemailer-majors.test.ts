// Every Nodemailer major the peer range allows (6.10, 7, 8, 9, 10): a real send through each into
// the signature-checking fake SES, on both actions, with DKIM on the raw path.
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesQueryTransport } from '../../src/index.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';

const require = createRequire(import.meta.url);
const majors = ['nodemailer6', 'nodemailer7', 'nodemailer8', 'nodemailer9', 'nodemailer'];
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

interface Mailer {
  createTransport(transport: unknown): {
    sendMail(m: unknown): Promise<{ messageId: string; response: string; action: string; envelope: { to: string[] } }>;
    close(): unknown;
    verify(): Promise<unknown>;
  };
}

let fake: FakeSes;
beforeAll(async () => {
  fake = await startFakeSes({ region: 'eu-west-1' });
});
afterAll(() => fake.close());

describe.each(majors)('%s', (name) => {
  const nodemailer = require(name) as Mailer;
  const version = (require(`${name}/package.json`) as { version: string }).version;

  it(`sends SendEmail and a DKIM-signed SendRawEmail (nodemailer ${version})`, async () => {
    const transporter = nodemailer.createTransport(
      new SesQueryTransport({ region: 'eu-west-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS }),
    );
    try {
      await expect(transporter.verify()).resolves.toBe(true);
      const plain = await transporter.sendMail({
        from: '"Zoë" <z@example.com>',
        to: 'a@example.org',
        bcc: 'b@example.org',
        subject: `plain ${version}`,
        text: 'hi',
      });
      expect(plain.action).toBe('SendEmail');
      expect(plain.messageId).toBe(`<${plain.response}@eu-west-1.amazonses.com>`);
      expect(plain.envelope.to).toEqual(['a@example.org', 'b@example.org']);
      const raw = await transporter.sendMail({
        from: 'z@example.com',
        to: 'a@example.org',
        bcc: 'b@example.org',
        subject: `raw ${version}`,
        text: 'hi',
        attachments: [{ filename: 'x.txt', content: 'x' }],
        dkim: { domainName: 'example.com', keySelector: 'sel', privateKey: pem },
      });
      expect(raw.action).toBe('SendRawEmail');
      const req = fake.requests.find((r) => r.rawMime?.includes(`raw ${version}`))!;
      expect(req.params['Destinations.member.2']).toBe('b@example.org');
      expect(req.rawMime).toMatch(/^DKIM-Signature: /m);
      const h = /(?:^|;)\s*h=([^;]+)/.exec(
        /^DKIM-Signature:([\s\S]*?)\r\n(?![ \t])/m.exec(req.rawMime!)![1]!.replace(/\r\n[ \t]+/g, ''),
      )![1]!;
      expect(h.toLowerCase().split(':')).not.toContain('message-id');
      expect(req.rawMime).not.toMatch(/^bcc:/im);
    } finally {
      await transporter.close();
    }
  });
});
