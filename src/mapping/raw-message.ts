/** The MIME message Nodemailer builds (DKIM applied in its stream), as one Buffer with CRLF line endings. */
import { mailData, type MailLike } from './mail.js';

const DKIM_SKIP = ['date', 'message-id'];

/**
 * SES rewrites Date and Message-ID, so a DKIM signature must not cover them (as Nodemailer's own
 * SES transport arranges). Adds them to `_dkim.skipFields`, keeping what is there.
 */
export function skipRewrittenFields(mail: MailLike): void {
  const data = mailData(mail);
  const dkim = (data._dkim ??= {});
  const current = typeof dkim.skipFields === 'string' && dkim.skipFields ? dkim.skipFields.split(':') : [];
  const lower = new Set(current.map((f) => f.trim().toLowerCase()));
  for (const field of DKIM_SKIP) if (!lower.has(field)) current.push(field);
  dkim.skipFields = current.join(':');
}

/** Converts lone LF to CRLF; returns the same Buffer when there is none (the usual case). */
export function toCrlf(buf: Buffer): Buffer {
  let lone = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) {
    if (i === 0 || buf[i - 1] !== 13) lone++;
  }
  if (lone === 0) return buf;
  const out = Buffer.allocUnsafe(buf.length + lone);
  let o = 0;
  let start = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) {
    if (i === 0 || buf[i - 1] !== 13) {
      o += buf.copy(out, o, start, i);
      out[o++] = 13;
      start = i;
    }
  }
  o += buf.copy(out, o, start);
  return out;
}

/** Reads the whole message; rejects with the stream's error. */
export function readRawMessage(mail: MailLike): Promise<Buffer> {
  skipRewrittenFields(mail);
  return new Promise((resolve, reject) => {
    const stream = mail.message.createReadStream();
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(b);
      length += b.length;
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(toCrlf(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length))));
  });
}
