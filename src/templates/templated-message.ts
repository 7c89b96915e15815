/**
 * A Nodemailer message whose `ses` option names a template → `SendTemplatedEmail` parameters, and
 * what a bulk request needs to carry it as one destination. SES builds the message from the stored
 * template, so anything the caller gave that SES could not put in it (subject, text, html,
 * attachments, headers other than X-SES-*, DKIM, …) is refused with `EMESSAGE` naming it, before any
 * request: silently dropping it would send something else than what was asked for.
 *
 * Parameter names: botocore `botocore/data/ses/2010-12-01/service-2.json`, `SendTemplatedEmailRequest`
 * (`Source`, `Destination`, `ReplyToAddresses`, `ReturnPath`, `SourceArn`, `ReturnPathArn`, `Tags`,
 * `ConfigurationSetName`, `Template`, `TemplateArn`, `TemplateData`); it has no `FromArn`.
 */
import { messageError } from '../errors.js';
import { formatMailbox, isAsciiAddress, type ParsedAddress } from '../mapping/address.js';
import { checkRecipients } from '../mapping/limits.js';
import { addressesOf, mailData, type MailLike } from '../mapping/mail.js';
import { sesOptionsFromHeaders } from '../mapping/ses-headers.js';
import { mergeSesOptions, normalizeSesOptions, type NormalizedSesOptions, type SesTag } from '../mapping/ses-options.js';
import type { QueryParams } from '../wire/query.js';
import { splitTemplateOptions, type TemplateChoice } from './template-options.js';

/** One destination's addresses, as SES's `Destination` structure. */
export interface TemplateDestination {
  ToAddresses?: string[];
  CcAddresses?: string[];
  BccAddresses?: string[];
}

/** A templated message, mapped and checked. */
export interface TemplatedMessage {
  action: 'SendTemplatedEmail';
  /** `SendTemplatedEmail` parameters. */
  params: QueryParams;
  envelope: { from: string | false; to: string[] };
  /** To + Cc + Bcc: what SES counts against the sending rate. */
  recipients: number;
  /**
   * Messages with the same key can share one `SendBulkTemplatedEmail`: same template (name and ARN),
   * Source, reply-to, return path, configuration set and ARNs.
   */
  bulkKey: string;
  /** What differs per destination in a bulk request. */
  destination: TemplateDestination;
  tags: SesTag[] | undefined;
  templateData: string;
  /** The parameters every message of a bulk request shares (Source, Template, …). */
  shared: QueryParams;
}

/** Keys Nodemailer's message may hold that a templated send carries (or that change nothing). */
// `disableFileAccess`/`disableUrlAccess` (Strapi sets them on every message) and `keepBcc` change nothing SES renders from a template.
const CARRIED = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'replyTo',
  'ses',
  'signal',
  'headers',
  'normalizedHeaders',
  'attachments',
  'alternatives',
  'disableFileAccess',
  'disableUrlAccess',
  'keepBcc',
]);
/** X-SES-* headers a templated send maps to parameters. X-SES-FROM-ARN has no templated counterpart. */
const SES_HEADERS = new Set(['x-ses-configuration-set', 'x-ses-message-tags', 'x-ses-source-arn', 'x-ses-return-path-arn']);
// eslint-disable-next-line no-control-regex -- matching control characters (C0 and DEL) is this pattern's purpose
const CONTROL_OR_BREAK = /[\x00-\x1f\x7f]/;

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length === 0;
  return false;
}

/** The name in Nodemailer's `[{ key, value }]` header form; anything but a string or a number is no name. */
function headerKey(key: unknown): string {
  return typeof key === 'string' || typeof key === 'number' ? String(key) : '';
}

function headerNames(headers: unknown): string[] {
  if (!headers || typeof headers !== 'object') return [];
  if (Array.isArray(headers)) return headers.map((h) => headerKey((h as { key?: unknown } | null)?.key).toLowerCase());
  return Object.keys(headers).map((k) => k.toLowerCase());
}

function refuse(what: string): never {
  throw messageError(`A templated message (ses.Template) cannot also have ${what}: SES builds the message from the stored template`);
}

/** Why the message cannot go with a template: throws EMESSAGE naming the first conflict. */
function checkConflicts(mail: MailLike): void {
  const data = mailData(mail);
  for (const key of Object.keys(data)) {
    if (key.startsWith('_')) continue;
    if (CARRIED.has(key)) {
      if ((key === 'attachments' || key === 'alternatives') && !isEmpty(data[key])) refuse(`"${key}"`);
      continue;
    }
    if (!isEmpty(data[key])) refuse(`"${key}"`);
  }
  for (const name of headerNames(data.headers)) {
    if (!SES_HEADERS.has(name))
      refuse(
        `the header "${name}" (only X-SES-CONFIGURATION-SET, X-SES-MESSAGE-TAGS, X-SES-SOURCE-ARN and X-SES-RETURN-PATH-ARN map to parameters)`,
      );
  }
  if (mail.message._processFuncs?.length || mail.message._transforms?.length) refuse('DKIM signing or stream processing');
}

function mailboxes(list: ParsedAddress[] | undefined, field: string): string[] | undefined {
  if (!list?.length) return undefined;
  return list.map((a) => {
    if (!isAsciiAddress(a.address))
      throw messageError(`The ${field} address "${a.address}" is not ASCII; SES templates take ASCII addresses only (domains in Punycode)`);
    if (a.name && CONTROL_OR_BREAK.test(a.name)) throw messageError(`A ${field} display name holds control characters`);
    return formatMailbox(a);
  });
}

/** The SES options of a templated message: transport defaults, then X-SES-* headers, then its own `ses` key. */
function sesOptionsOf(mail: MailLike, rest: Record<string, unknown>, defaults: NormalizedSesOptions | undefined): NormalizedSesOptions {
  const fromHeaders = sesOptionsFromHeaders(mailData(mail).headers);
  const ses = mergeSesOptions(mergeSesOptions(defaults, fromHeaders), normalizeSesOptions(rest, 'message'));
  if (ses.FromArn) refuse('ses.FromArn (SendTemplatedEmail has no FromArn; use SourceArn)');
  return ses;
}

/**
 * Maps a message whose `ses` names a template. Throws `EMESSAGE` (conflicts, bad template data, no
 * sender, non-ASCII addresses), `EENVELOPE` (no recipients) or `EMAXRECIPIENTS` (over 50).
 */
export function mapTemplatedMessage(mail: MailLike, defaults?: NormalizedSesOptions): TemplatedMessage {
  checkConflicts(mail);
  const data = mailData(mail);
  const { template, rest } = splitTemplateOptions(data.ses as Record<string, unknown>);
  const ses = sesOptionsOf(mail, rest, defaults);
  const env = mail.message.getEnvelope();
  const envelope = { from: env.from, to: [...env.to] };
  checkRecipients(envelope.to.length);
  const a = addressesOf(mail);
  if (!a.from?.length) throw messageError('The message has no sender: set "from"');
  if (a.from.length > 1 || a.sender?.length) refuse('more than one From address or a Sender');
  const source = mailboxes(a.from, 'From')![0]!;
  const destination: TemplateDestination = {};
  const to = mailboxes(a.to, 'To');
  const cc = mailboxes(a.cc, 'Cc');
  const bcc = mailboxes(a.bcc, 'Bcc');
  if (to) destination.ToAddresses = to;
  if (cc) destination.CcAddresses = cc;
  if (bcc) destination.BccAddresses = bcc;
  const shared = sharedParams(source, mailboxes(a['reply-to'], 'Reply-To'), ses, template);
  return {
    action: 'SendTemplatedEmail',
    params: {
      Source: shared.Source,
      Destination: destination as QueryParams,
      ReplyToAddresses: shared.ReplyToAddresses,
      ReturnPath: shared.ReturnPath,
      SourceArn: shared.SourceArn,
      ReturnPathArn: shared.ReturnPathArn,
      Tags: ses.Tags,
      ConfigurationSetName: shared.ConfigurationSetName,
      Template: shared.Template,
      TemplateArn: shared.TemplateArn,
      TemplateData: template.TemplateData,
    },
    envelope,
    recipients: envelope.to.length,
    bulkKey: JSON.stringify(shared),
    destination,
    tags: ses.Tags,
    templateData: template.TemplateData,
    shared,
  };
}

interface SharedParams {
  [key: string]: string | string[] | undefined;
  Source: string;
  ReplyToAddresses: string[] | undefined;
  ReturnPath: string | undefined;
  SourceArn: string | undefined;
  ReturnPathArn: string | undefined;
  ConfigurationSetName: string | undefined;
  Template: string;
  TemplateArn: string | undefined;
}

/** The parameters that must be equal for messages to share a bulk request; insertion order fixed, so JSON of it is a key. */
function sharedParams(source: string, replyTo: string[] | undefined, ses: NormalizedSesOptions, template: TemplateChoice): SharedParams {
  return {
    Source: source,
    ReplyToAddresses: replyTo,
    ReturnPath: ses.ReturnPath,
    SourceArn: ses.SourceArn ?? ses.IdentityArn,
    ReturnPathArn: ses.ReturnPathArn,
    ConfigurationSetName: ses.ConfigurationSetName,
    Template: template.Template,
    TemplateArn: template.TemplateArn,
  };
}
