/**
 * The parts of Nodemailer's `mail` object this package reads, typed structurally so that it does not
 * depend on one Nodemailer major's internals (6 through 10 all fit).
 */
import type { Readable } from 'node:stream';
import type { ParsedAddress } from './address.js';

export interface MimeNodeLike {
  createReadStream(): Readable;
  getEnvelope(): { from: string | false; to: string[] };
  /** Parsed address headers; typed loosely because the majors' types differ. Read through {@link addressesOf}. */
  getAddresses(): object;
  /** Present when Nodemailer or a plugin post-processes the output (DKIM signing, stream plugins). */
  _processFuncs?: unknown[];
  _transforms?: unknown[];
}

/** What the caller passed to `sendMail`, merged with the transporter's defaults. */
export type MailData = Record<string, unknown> & {
  _dkim?: { skipFields?: string } & Record<string, unknown>;
  ses?: unknown;
  signal?: unknown;
};

export interface MailLike {
  /** Typed loosely (`object`) so every Nodemailer major's MailMessage fits; read through {@link mailData}. */
  data: object;
  message: MimeNodeLike;
}

export function mailData(mail: MailLike): MailData {
  return mail.data as MailData;
}

export type AddressField = 'from' | 'sender' | 'reply-to' | 'to' | 'cc' | 'bcc';

/** A message's parsed address headers, by header. */
export type MessageAddresses = Partial<Record<AddressField, ParsedAddress[]>>;

/** The message's parsed address headers (Nodemailer has already put domains into Punycode). */
export function addressesOf(mail: MailLike): MessageAddresses {
  const raw = mail.message.getAddresses() as Record<string, Array<{ address?: unknown; name?: unknown }> | undefined>;
  const out: MessageAddresses = {};
  for (const key of Object.keys(raw) as AddressField[]) {
    const list = raw[key];
    if (!Array.isArray(list)) continue;
    out[key] = list
      .filter((a) => typeof a?.address === 'string' && a.address)
      .map((a) => ({ address: a.address as string, name: typeof a.name === 'string' ? a.name : '' }));
  }
  return out;
}
