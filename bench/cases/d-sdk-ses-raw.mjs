// D: the hand-rolled setup: Nodemailer's stream transport builds the MIME into a buffer, and
// @aws-sdk/client-ses sends it with SendRawEmailCommand (SES v1 Query API).
import nodemailer from 'nodemailer';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';

export const title = 'Nodemailer stream transport + @aws-sdk/client-ses SendRawEmail';

/** @param {{ endpoint: string, region: string, credentials: { accessKeyId: string, secretAccessKey: string } }} o */
export async function create(o) {
  const ses = new SESClient({ region: o.region, endpoint: o.endpoint, credentials: o.credentials });
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(message) {
      const built = await composer.sendMail(message);
      const out = await ses.send(new SendRawEmailCommand({ RawMessage: { Data: built.message }, Destinations: built.envelope.to }));
      return { envelope: built.envelope, messageId: out.MessageId, response: out.MessageId };
    },
    close: async () => ses.destroy(),
  };
}
