// F2: the wire part of the floor: undici POSTs of one pre-encoded, pre-signed SendEmail body,
// response read to the end. No Nodemailer; the message argument is ignored.
import { Pool } from 'undici';
import { htmlMessage } from '../lib/messages.mjs';
import { sendEmailBody, signedHeaders } from '../lib/presign.mjs';

export const title = 'floor part: pre-signed undici POST';

/** @param {{ endpoint: string, connections: number }} o */
export async function create(o) {
  const url = new URL(o.endpoint);
  const pool = new Pool(url.origin, { connections: o.connections });
  const body = sendEmailBody(htmlMessage());
  const headers = signedHeaders(body, url.host);
  return {
    async send() {
      const res = await pool.request({ method: 'POST', path: '/', headers, body });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      return text;
    },
    close: () => pool.close(),
  };
}
