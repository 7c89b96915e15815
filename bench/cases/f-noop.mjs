// F1: the Nodemailer part of the floor: sendMail into a transport that does nothing.
import nodemailer from 'nodemailer';

export const title = 'floor part: sendMail with a no-op transport';

export async function create() {
  const noop = {
    name: 'noop',
    version: '0',
    send(mail, callback) {
      callback(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId(), response: 'ok' });
    },
  };
  const transport = nodemailer.createTransport(noop);
  return {
    send: (message) => transport.sendMail(message),
    close: async () => {},
  };
}
