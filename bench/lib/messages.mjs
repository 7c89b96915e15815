// The messages every contender sends. Built once per process; each send gets a fresh shallow copy
// because Nodemailer (and some transports) add keys to the object they are given.
import { randomFillSync } from 'node:crypto';

const FROM = 'Bench Sender <sender@example.com>';
const TO = ['Recipient One <one@example.net>'];
const CC = 'two@example.net';
const SUBJECT = 'Your weekly report: 42 items & 3 alerts';

const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut ' +
  'labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ' +
  'aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum'
).split(' ');

/** Deterministic filler prose of about `bytes` characters. */
function prose(bytes, seed) {
  let out = '';
  let i = seed;
  while (out.length < bytes) {
    out += WORDS[(i * 7 + 3) % WORDS.length] + (i % 13 === 12 ? '. ' : ' ');
    i++;
  }
  return out.slice(0, bytes);
}

const TEXT = `Hello Recipient,\n\n${prose(560, 1)}\n\n${prose(560, 5)}\n\nRegards,\nThe bench (50% off, a+b=c/d)\n`;
const HTML =
  `<!doctype html><html><body><p>Hello <b>Recipient</b>,</p>\n<p>${prose(700, 2)}</p>\n` +
  `<table><tr><td>items</td><td>42</td></tr><tr><td>alerts</td><td>3</td></tr></table>\n<p>${prose(700, 9)}</p>\n` +
  `<p>Regards,<br>The bench &mdash; <a href="https://example.com/r?a=1&amp;b=2">report</a></p></body></html>\n`;

/** A small attachment (about 2 KB of CSV). */
const CSV = Buffer.from(Array.from({ length: 110 }, (_, i) => `${i},item-${i},${(i * 37) % 101},ok`).join('\r\n') + '\r\n');

/** Text + HTML, about 3 KB: SES can carry it with SendEmail. */
export function htmlMessage() {
  return { from: FROM, to: TO, cc: CC, subject: SUBJECT, text: TEXT, html: HTML };
}

/** The same plus a small attachment: needs SendRawEmail. */
export function attachmentMessage() {
  return { ...htmlMessage(), attachments: [{ filename: 'report.csv', content: CSV, contentType: 'text/csv' }] };
}

/** Bytes in the 5 MB attachment (5,000,000: its base64 MIME then fits SES v1's 10 MB after encoding). */
export const BIG_ATTACHMENT_BYTES = 5_000_000;

let big;
/** The same text + HTML with a 5 MB binary attachment. The buffer is made once per process. */
export function bigMessage() {
  big ??= randomFillSync(Buffer.allocUnsafe(BIG_ATTACHMENT_BYTES));
  return { ...htmlMessage(), attachments: [{ filename: 'archive.bin', content: big, contentType: 'application/octet-stream' }] };
}

/** Message factories by name, as the orchestrator passes them to a child. */
export const MESSAGES = { html: htmlMessage, att: attachmentMessage, big: bigMessage };

/** The sizes reported in results.json. */
export function messageSizes() {
  return {
    textBytes: Buffer.byteLength(TEXT),
    htmlBytes: Buffer.byteLength(HTML),
    attachmentBytes: CSV.length,
    bigAttachmentBytes: BIG_ATTACHMENT_BYTES,
  };
}
