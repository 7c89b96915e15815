// F1+att: the Nodemailer part of the raw path's floor: sendMail into a transport that reads the whole
// MIME message Nodemailer builds (as any SendRawEmail transport must) and does nothing else with it.
import nodemailer from 'nodemailer';

export const title = 'floor part: sendMail + reading the MIME message';

export async function create() {
  const reader = {
    name: 'mime-reader',
    version: '0',
    send(mail, callback) {
      const chunks = [];
      const stream = mail.message.createReadStream();
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.once('error', (err) => callback(err));
      stream.once('end', () => {
        const raw = Buffer.concat(chunks);
        callback(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId(), response: `read ${raw.length} bytes` });
      });
    },
  };
  const transport = nodemailer.createTransport(reader);
  return {
    send: (message) => transport.sendMail(message),
    close: async () => {},
  };
}
