/** The MIME message Nodemailer builds (DKIM applied in its stream), as one Buffer with CRLF line endings. */
import { base64Length, checkSize } from './limits.js';
import { mailData, type MailLike } from './mail.js';

const DKIM_SKIP = ['date', 'message-id'];

/**
 * SES rewrites Date and Message-ID, so a DKIM signature must not cover them (as Nodemailer's own
 * SES transport arranges). Adds them to `_dkim.skipFields`, keeping what is there.
 */
function skipRewrittenFields(mail: MailLike): void {
  const data = mailData(mail);
  const dkim = (data._dkim ??= {});
  const current = typeof dkim.skipFields === 'string' && dkim.skipFields ? dkim.skipFields.split(':') : [];
  const lower = new Set(current.map((f) => f.trim().toLowerCase()));
  for (const field of DKIM_SKIP) if (!lower.has(field)) current.push(field);
  dkim.skipFields = current.join(':');
}

const LF = 10;
const CR = 13;

/** Whether the LF at `i` has no CR before it; `prev` is the previous chunk's last byte, -1 at the start. */
function isLoneLf(chunk: Buffer, i: number, prev: number): boolean {
  return (i === 0 ? prev : chunk[i - 1]) !== CR;
}

/**
 * Joins the stream's chunks into one Buffer with CRLF line endings (a lone LF becomes CRLF, also
 * across chunk boundaries), copying each byte once. One chunk without a lone LF comes back as is.
 */
export function joinCrlf(chunks: readonly Buffer[]): Buffer {
  let length = 0;
  let lone = 0;
  let prev = -1;
  for (const chunk of chunks) {
    if (chunk.length === 0) continue;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) if (isLoneLf(chunk, i, prev)) lone++;
    length += chunk.length;
    prev = chunk[chunk.length - 1]!;
  }
  if (lone === 0) return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
  const out = Buffer.allocUnsafe(length + lone);
  let o = 0;
  prev = -1;
  for (const chunk of chunks) {
    if (chunk.length === 0) continue;
    let start = 0;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      if (isLoneLf(chunk, i, prev)) {
        o += chunk.copy(out, o, start, i);
        out[o++] = CR;
        start = i;
      }
    }
    o += chunk.copy(out, o, start);
    prev = chunk[chunk.length - 1]!;
  }
  return out;
}

/**
 * Reads the whole message, CRLF line endings throughout; rejects with the stream's error. Stops
 * reading, and rejects with `EMAXLIMIT`, as soon as the message is over SES's limit (line endings
 * only add to it), so an oversized attachment is never held in memory whole.
 */
export function readRawMessage(mail: MailLike): Promise<Buffer> {
  skipRewrittenFields(mail);
  return new Promise((resolve, reject) => {
    const stream = mail.message.createReadStream();
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += buf.length;
      try {
        checkSize(base64Length(bytes));
      } catch (err) {
        chunks.length = 0;
        stream.destroy();
        reject(err);
        return;
      }
      chunks.push(buf);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(joinCrlf(chunks)));
  });
}
