/**
 * Nodemailer message → `{ action, params }` for the SES Query API. Knows nothing of the network.
 */
import { messageError } from '../errors.js';
import type { QueryParams } from '../wire/query.js';
import { formatMailbox, type ParsedAddress } from './address.js';
import { chooseAction } from './choose-action.js';
import { base64Length, checkRecipients, checkSize } from './limits.js';
import { addressesOf, mailData, type MailLike, type MessageAddresses } from './mail.js';
import { readRawMessage } from './raw-message.js';
import { sesOptionsFromHeaders } from './ses-headers.js';
import { mergeSesOptions, normalizeSesOptions, type NormalizedSesOptions } from './ses-options.js';

export { normalizeSesOptions, mergeSesOptions } from './ses-options.js';
export type { SesMessageOptions, NormalizedSesOptions, SesTag } from './ses-options.js';
export type { MailLike } from './mail.js';

export interface MappedMessage {
  action: 'SendEmail' | 'SendRawEmail';
  params: QueryParams;
  envelope: { from: string | false; to: string[] };
}

export interface MapOptions {
  action: 'auto' | 'SendRawEmail';
  defaults?: NormalizedSesOptions;
}

const UTF8 = 'UTF-8';

function mailboxes(list: ParsedAddress[] | undefined): string[] | undefined {
  return list?.length ? list.map(formatMailbox) : undefined;
}

function content(data: unknown): { Data: string; Charset: string } | undefined {
  return typeof data === 'string' && data ? { Data: data, Charset: UTF8 } : undefined;
}

function sendEmailParams(mail: MailLike, ses: NormalizedSesOptions, a: MessageAddresses): QueryParams {
  return {
    Source: formatMailbox(a.from![0]!),
    Destination: { ToAddresses: mailboxes(a.to), CcAddresses: mailboxes(a.cc), BccAddresses: mailboxes(a.bcc) },
    Message: {
      Subject: { Data: mailData(mail).subject as string, Charset: UTF8 },
      Body: { Text: content(mailData(mail).text), Html: content(mailData(mail).html) },
    },
    ReplyToAddresses: mailboxes(a['reply-to']),
    ReturnPath: ses.ReturnPath,
    SourceArn: ses.SourceArn ?? ses.IdentityArn,
    ReturnPathArn: ses.ReturnPathArn,
    Tags: ses.Tags,
    ConfigurationSetName: ses.ConfigurationSetName,
  };
}

async function sendRawEmailParams(mail: MailLike, envelope: MappedMessage['envelope'], ses: NormalizedSesOptions): Promise<QueryParams> {
  const raw = await readRawMessage(mail);
  checkSize(base64Length(raw.length));
  const source = ses.ReturnPath ?? (envelope.from || undefined);
  return {
    Source: source,
    Destinations: envelope.to,
    RawMessage: { Data: raw },
    SourceArn: ses.SourceArn ?? ses.IdentityArn,
    FromArn: ses.FromArn ?? ses.IdentityArn,
    ReturnPathArn: ses.ReturnPathArn,
    Tags: ses.Tags,
    ConfigurationSetName: ses.ConfigurationSetName,
  };
}

/**
 * The least SES's own MIME message can be for a SendEmail: subject, text and html, base64-encoded
 * (SES measures the 10 MiB limit on the encoded message; its headers only add to it).
 */
function sendEmailSize(data: Record<string, unknown>): number {
  let bytes = 0;
  for (const key of ['subject', 'text', 'html'] as const) {
    const v = data[key];
    if (typeof v === 'string') bytes += Buffer.byteLength(v);
  }
  return base64Length(bytes);
}

/**
 * Maps one message. Refuses, before any network, what SES would refuse: no recipients
 * (`EENVELOPE`), more than 50 (`EMAXRECIPIENTS`), over 10 MiB after base64 (`EMAXLIMIT`), bad `ses`
 * options or no sender (`EMESSAGE`).
 */
export async function mapMessage(mail: MailLike, options: MapOptions): Promise<MappedMessage> {
  // Transport defaults, then the message's X-SES-* headers, then its `ses` key: the most specific wins.
  const data = mailData(mail);
  const fromHeaders = sesOptionsFromHeaders(data.headers);
  const perMessage = data.ses === undefined ? undefined : normalizeSesOptions(data.ses, 'message');
  const ses = mergeSesOptions(mergeSesOptions(options.defaults, fromHeaders), perMessage);
  const env = mail.message.getEnvelope();
  const envelope = { from: env.from, to: [...env.to] };
  checkRecipients(envelope.to.length);
  // Parsed at most once, and only when needed (not at all for most raw messages): address parsing is
  // a large share of the per-message CPU.
  let parsed: MessageAddresses | undefined;
  const addresses = (): MessageAddresses => (parsed ??= addressesOf(mail));
  const action = chooseAction(mail, options.action, ses, addresses);
  if (action === 'SendEmail') {
    checkSize(sendEmailSize(data));
    return { action, params: sendEmailParams(mail, ses, addresses()), envelope };
  }
  if (!envelope.from && !addresses().from?.length) {
    throw messageError('The message has no sender: set "from" (or envelope.from)');
  }
  const params = await sendRawEmailParams(mail, envelope, ses);
  return { action, params, envelope };
}
