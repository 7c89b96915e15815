// Runs messages through real Nodemailer into a transport that only maps them (no network), so the
// mapping is tested on the exact `mail` objects Nodemailer builds.
import nodemailer from 'nodemailer';
import { mapMessage, type MailLike, type MappedMessage, type NormalizedSesOptions } from '../../src/mapping/index.js';

export interface Captured {
  mail: MailLike;
  mapped: MappedMessage;
}

export async function mapThroughNodemailer(
  message: Record<string, unknown>,
  options: { action?: 'auto' | 'SendRawEmail'; defaults?: NormalizedSesOptions; transportDefaults?: Record<string, unknown> } = {},
): Promise<Captured> {
  let captured: Captured | undefined;
  const transport = {
    name: 'capture',
    version: '0',
    send(mail: MailLike, callback: (err: Error | null, info?: unknown) => void) {
      mapMessage(mail, { action: options.action ?? 'auto', defaults: options.defaults }).then(
        (mapped) => {
          captured = { mail, mapped };
          callback(null, { messageId: 'x' });
        },
        (err: Error) => callback(err),
      );
    },
  };
  const transporter = nodemailer.createTransport(transport as never, options.transportDefaults);
  await transporter.sendMail(message);
  return captured!;
}

/** Decodes the raw MIME of a SendRawEmail mapping. */
export function rawMime(mapped: MappedMessage): string {
  return Buffer.from((mapped.params.RawMessage as { Data: Uint8Array }).Data).toString('utf8');
}
