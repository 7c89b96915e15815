import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';
import { mapThroughNodemailer } from '../../support/capture.js';

const base = { from: '"Ops" <ops@example.com>', to: 'ana@example.org', subject: 'Hi', text: 'hello' };
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

describe('auto: SendEmail only when SES carries the message without loss', () => {
  it.each([
    ['text only', {}],
    ['html only', { text: undefined, html: '<p>hi</p>' }],
    ['text and html', { html: '<p>hi</p>' }],
    ['cc, bcc and reply-to', { cc: 'c@example.org', bcc: 'b@example.org', replyTo: 'r@example.org' }],
    ['unicode subject and names', { subject: 'Grüße 🎉', from: '"Zoë" <z@example.com>' }],
    ['an IDN domain', { to: 'x@bücher.example' }],
    ['a ses key', { ses: { ConfigurationSetName: 'cs' } }],
    ["Strapi's disableFileAccess and disableUrlAccess", { disableFileAccess: true, disableUrlAccess: true }],
    ['a colon inside a quoted display name', { to: '"Team: Ops" <ops@example.org>' }],
  ])('%s → SendEmail', async (_label, extra) => {
    expect((await mapThroughNodemailer({ ...base, ...extra })).mapped.action).toBe('SendEmail');
  });

  it.each([
    ['an attachment', { attachments: [{ filename: 'a.txt', content: 'x' }] }],
    ['an empty group (undisclosed-recipients:;)', { to: 'undisclosed-recipients:;', bcc: 'b@example.org' }],
    ['a named group', { to: 'Friends: a@example.org, b@example.org;' }],
    ['a group in a list', { cc: ['c@example.org', 'Team: t@example.org;'] }],
    ['a custom header', { headers: { 'X-Campaign': 'x' } }],
    ['a custom envelope', { envelope: { from: 'bounce@example.com', to: 'ana@example.org' } }],
    ['a caller Message-ID', { messageId: '<id@example.com>' }],
    ['a date', { date: new Date(0) }],
    ['a priority', { priority: 'high' }],
    ['list headers', { list: { unsubscribe: 'https://example.com/u' } }],
    ['an icalEvent', { icalEvent: { content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR' } }],
    ['amp', { amp: '<!doctype html><html ⚡4email></html>' }],
    ['alternatives', { alternatives: [{ contentType: 'text/x-web-markdown', content: '**hi**' }] }],
    ['DKIM per message', { dkim: { domainName: 'example.com', keySelector: 's', privateKey: pem } }],
    ['raw', { raw: 'From: a@b.c\r\nTo: d@e.f\r\nSubject: x\r\n\r\nbody' }],
    ['inReplyTo', { inReplyTo: '<a@b>' }],
    ['a sender', { sender: 'on-behalf@example.com' }],
    ['text as a Buffer', { text: Buffer.from('hello') }],
    ['text as a stream', { text: Readable.from(['hello']) }],
    ['no subject', { subject: undefined }],
    ['a line break in the subject', { subject: 'a\r\nBcc: evil@example.com' }],
    ['a NUL in the body', { text: 'a\u0000b' }],
    ['a non-ASCII local part', { to: 'jürgen@example.org' }],
    ['FromArn', { ses: { FromArn: 'arn:aws:ses:eu-west-1:1:identity/example.com' } }],
    ['an unknown key', { somethingNew: 'x' }],
  ])('%s → SendRawEmail', async (_label, extra) => {
    expect((await mapThroughNodemailer({ ...base, ...extra })).mapped.action).toBe('SendRawEmail');
  });

  it('notices DKIM set on the transporter, not the message', async () => {
    const { mapped } = await mapThroughNodemailer(base, {
      transportDefaults: { dkim: { domainName: 'example.com', keySelector: 's', privateKey: pem } },
    });
    expect(mapped.action).toBe('SendRawEmail');
  });

  it('always uses SendRawEmail when asked to', async () => {
    expect((await mapThroughNodemailer(base, { action: 'SendRawEmail' })).mapped.action).toBe('SendRawEmail');
  });
});
