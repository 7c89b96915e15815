// F: the floor. Nodemailer's sendMail into a transport whose send() only POSTs a SendEmail body
// that was encoded and signed once, with undici, to the same server: what any Nodemailer transport
// pays plus what the wire costs, with no per-message encoding or signing.
import nodemailer from 'nodemailer';
import { Pool } from 'undici';
import { htmlMessage } from '../lib/messages.mjs';
import { sendEmailBody, signedHeaders } from '../lib/presign.mjs';

export const title = 'floor: sendMail (no-op transport) + pre-signed undici POST';

/** @param {{ endpoint: string, connections: number }} o */
export async function create(o) {
  const url = new URL(o.endpoint);
  const pool = new Pool(url.origin, { connections: o.connections });
  const body = sendEmailBody(htmlMessage());
  const headers = signedHeaders(body, url.host);
  const post = {
    name: 'floor',
    version: '0',
    send(mail, callback) {
      pool
        .request({ method: 'POST', path: '/', headers, body })
        .then(async (res) => {
          const text = await res.body.text();
          if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
          callback(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId(), response: text.length });
        })
        .catch((err) => callback(err));
    },
  };
  const transport = nodemailer.createTransport(post);
  return {
    send: (message) => transport.sendMail(message),
    close: () => pool.close(),
  };
}
