// End to end: real Nodemailer, this transport, and aws-ses-v2-local (a third-party SES emulator)
// started on a free loopback port. What arrived is read back from the emulator's /store.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import * as emulator from 'aws-ses-v2-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SesQueryTransport, type SesSentMessageInfo } from '../../src/index.js';
import { closeTransporter } from '../support/close-transporter.js';

interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: Array<{ content: string; contentType: string; filename?: string; size: number }>;
}

let server: Server;
let endpoint: string;
let dir: string;
let transporter: Transporter<SesSentMessageInfo>;

// aws-ses-v2-local is CommonJS with an `exports.default`; reach it whichever way the loader wraps it.
const startEmulator = ((emulator as unknown as { default: { default?: unknown } }).default.default ??
  (emulator as unknown as { default: unknown }).default) as (config: { host: string; port: number }) => Promise<Server>;

async function stored(): Promise<StoredEmail[]> {
  const res = await fetch(`${endpoint}/store`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
}

async function only(): Promise<StoredEmail> {
  const emails = await stored();
  expect(emails).toHaveLength(1);
  return emails[0]!;
}

beforeAll(async () => {
  // The emulator prints a banner on start.
  const quiet = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    server = await startEmulator({ host: '127.0.0.1', port: 0 });
  } finally {
    quiet.mockRestore();
  }
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'ses-e2e-'));
  transporter = nodemailer.createTransport(
    new SesQueryTransport({
      region: 'eu-west-1',
      endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'e2e-secret' },
    }),
  );
});

afterAll(async () => {
  await closeTransporter(transporter);
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await fetch(`${endpoint}/clear-store`, { method: 'POST' });
});

describe('through Nodemailer into aws-ses-v2-local', () => {
  it('sends a plain message with SendEmail and reports SES ids the way Nodemailer does', async () => {
    const info = await transporter.sendMail({
      from: '"Ops" <ops@example.com>',
      // aws-ses-v2-local keeps only member.1 of each list; several recipients are checked against the fake SES.
      to: '"Bo" <bo@example.org>',
      cc: 'ana@example.org',
      replyTo: 'help@example.com',
      subject: 'Reset code',
      text: 'code 1234',
      html: '<p>code <b>1234</b></p>',
    });
    expect(info.action).toBe('SendEmail');
    expect(info.messageId).toBe(`<${info.response}@eu-west-1.amazonses.com>`);
    expect(info.envelope).toEqual({ from: 'ops@example.com', to: ['bo@example.org', 'ana@example.org'] });
    const email = await only();
    expect(email.messageId).toBe(info.response);
    expect(email.from).toBe('Ops <ops@example.com>');
    expect(email.destination.to).toEqual(['Bo <bo@example.org>']);
    expect(email.destination.cc).toEqual(['ana@example.org']);
    expect(email.replyTo).toEqual(['help@example.com']);
    expect(email.subject).toBe('Reset code');
    expect(email.body.text).toBe('code 1234');
    expect(email.body.html).toBe('<p>code <b>1234</b></p>');
  });

  it('carries unicode subject and display names and an IDN domain on the SendEmail path', async () => {
    const info = await transporter.sendMail({
      from: '"Zoë Ångström" <zoe@bücher.example>',
      to: '"Jürgen 日本" <j@example.org>',
      subject: 'Grüße aus Köln — 你好 🎉',
      text: 'Ünïcödé body ✓',
    });
    expect(info.action).toBe('SendEmail');
    const email = await only();
    expect(email.from).toContain('xn--bcher-kva.example');
    expect(email.subject).toBe('Grüße aus Köln — 你好 🎉');
    expect(email.body.text).toBe('Ünïcödé body ✓');
  });

  it('sends attachments from a Buffer, a stream and a path, and an inline cid image, with SendRawEmail', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'from a file\n');
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const info = await transporter.sendMail({
      from: 'billing@example.com',
      to: 'ana@example.org',
      subject: 'Attachments',
      text: 'see attached',
      html: '<p><img src="cid:logo@example"></p>',
      attachments: [
        { filename: 'buffer.txt', content: Buffer.from('from a buffer\n') },
        { filename: 'stream.txt', content: Readable.from([Buffer.from('from a '), Buffer.from('stream\n')]) },
        { filename: 'notes.txt', path },
        { filename: 'logo.png', content: png, cid: 'logo@example' },
      ],
    });
    expect(info.action).toBe('SendRawEmail');
    const email = await only();
    const byName = new Map(email.attachments.map((a) => [a.filename, Buffer.from(a.content, 'base64')]));
    expect(byName.get('buffer.txt')?.toString()).toBe('from a buffer\n');
    expect(byName.get('stream.txt')?.toString()).toBe('from a stream\n');
    expect(byName.get('notes.txt')?.toString()).toBe('from a file\n');
    expect(byName.get('logo.png')?.equals(png)).toBe(true);
  });

  it('delivers Cc and Bcc through Destinations without a Bcc header', async () => {
    const info = await transporter.sendMail({
      from: 'billing@example.com',
      to: 'ana@example.org',
      cc: 'accounts@example.org',
      bcc: 'archive@example.net',
      subject: 'Invoice',
      text: 'attached',
      attachments: [{ filename: 'a.txt', content: 'x' }],
    });
    expect(info.action).toBe('SendRawEmail');
    expect(info.envelope.to).toEqual(['ana@example.org', 'accounts@example.org', 'archive@example.net']);
    const email = await only();
    expect(email.destination.cc).toEqual(['accounts@example.org']);
    expect(email.destination.bcc).toEqual([]);
  });

  it('sends an icalEvent, list headers and custom headers through SendRawEmail', async () => {
    const info = await transporter.sendMail({
      from: 'events@example.com',
      to: 'ana@example.org',
      subject: 'Meeting',
      text: 'see invite',
      icalEvent: { method: 'REQUEST', content: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n' },
      list: { unsubscribe: 'https://example.com/unsubscribe' },
      headers: { 'X-Campaign': 'spring' },
    });
    expect(info.action).toBe('SendRawEmail');
    const email = await only();
    expect(email.subject).toBe('Meeting');
    expect(email.body.text?.trim()).toBe('see invite');
  });

  it('sends a DKIM-signed message with a custom envelope (what SES gets is checked against the fake SES)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const info = await transporter.sendMail({
      from: 'news@example.com',
      to: 'ana@example.org',
      subject: 'Signed',
      text: 'signed body',
      envelope: { from: 'bounces@example.com', to: ['ana@example.org', 'audit@example.net'] },
      dkim: { domainName: 'example.com', keySelector: 'sel', privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
    });
    expect(info.action).toBe('SendRawEmail');
    expect(info.envelope).toEqual({ from: 'bounces@example.com', to: ['ana@example.org', 'audit@example.net'] });
    const email = await only();
    expect(email.messageId).toBe(info.response);
    expect(email.subject).toBe('Signed');
    expect(email.body.text?.trim()).toBe('signed body');
  });
});
