/**
 * The lossless rule: `SendEmail` only when SES, building the MIME itself, would deliver exactly what
 * the caller asked for; `SendRawEmail` for everything else.
 */
import { isAsciiAddress } from './address.js';
import { addressesOf, mailData, type MailLike, type MessageAddresses } from './mail.js';
import type { NormalizedSesOptions } from './ses-options.js';

/** Keys SendEmail carries as they are (when plain strings / address lists). */
const CARRIED = new Set(['from', 'to', 'cc', 'bcc', 'replyTo', 'subject', 'text', 'html']);
/**
 * Keys that never change the message itself. `disableFileAccess`/`disableUrlAccess` (set on every
 * message by Strapi's Nodemailer provider) only forbid reading content from files or URLs, which plain
 * string bodies never do.
 */
const NEUTRAL = new Set([
  'ses',
  'signal',
  'headers',
  'attachments',
  'alternatives',
  'normalizedHeaders',
  'template',
  'context',
  'disableFileAccess',
  'disableUrlAccess',
]);
/** Address fields whose RFC 5322 group syntax SendEmail's address lists would flatten. */
const ADDRESS_KEYS = ['from', 'to', 'cc', 'bcc', 'replyTo'] as const;
// C0 controls other than TAB, CR and LF, and DEL: SES's own MIME would not keep them.
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const LINE_BREAK = /[\r\n]/;

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  // Only a plain {} is empty: a Date, a Buffer or a stream is content.
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length === 0;
  return false;
}

/**
 * True when an address value (a string, an address object or a list of them) uses RFC 5322 group
 * syntax (`undisclosed-recipients:;`, `Friends: a@x, b@y;`): a `:` outside quotes, angle brackets,
 * comments and domain literals. SendEmail's lists would drop the group name or the empty group.
 */
function hasGroupSyntax(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasGroupSyntax);
  if (typeof value !== 'string') return false;
  if (!value.includes(':')) return false;
  let quoted = false;
  let depth = 0; // inside <…>, (…) or […]
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<' || c === '(' || c === '[') depth++;
    else if ((c === '>' || c === ')' || c === ']') && depth > 0) depth--;
    else if (c === ':' && depth === 0) return true;
  }
  return false;
}

/** The message's parsed address headers, parsed only when asked for (parsing costs). */
export type LazyAddresses = () => MessageAddresses;

/**
 * Why the message needs SendRawEmail, or undefined when SendEmail carries it without loss. The
 * address headers are parsed last, only when nothing cheaper has decided already.
 */
export function rawReason(
  mail: MailLike,
  ses: NormalizedSesOptions,
  lazyAddresses: LazyAddresses = () => addressesOf(mail),
): string | undefined {
  const data = mailData(mail);
  for (const key of ADDRESS_KEYS) if (hasGroupSyntax(data[key])) return 'group syntax';
  for (const key of Object.keys(data)) {
    if (key.startsWith('_') || CARRIED.has(key)) continue;
    if (NEUTRAL.has(key)) {
      if ((key === 'headers' || key === 'attachments' || key === 'alternatives') && !isEmpty(data[key])) return key;
      continue;
    }
    if (!isEmpty(data[key])) return key;
  }
  if (typeof data.subject !== 'string' || !data.subject) return 'no subject';
  if (CONTROL.test(data.subject) || LINE_BREAK.test(data.subject)) return 'control characters in subject';
  for (const key of ['text', 'html'] as const) {
    const v = data[key];
    if (v !== undefined && v !== null && typeof v !== 'string') return `${key} is not a string`;
    if (typeof v === 'string' && CONTROL.test(v)) return `control characters in ${key}`;
  }
  if (!data.text && !data.html) return 'no text or html';
  if (data.dkim || mail.message._processFuncs?.length || mail.message._transforms?.length) return 'DKIM or stream processing';
  if (ses.FromArn) return 'FromArn';
  const addresses = lazyAddresses();
  if (!addresses.from?.length) return 'no from';
  if (addresses.from.length > 1 || addresses.sender?.length) return 'sender';
  for (const list of Object.values(addresses)) {
    for (const a of list ?? []) {
      if (!isAsciiAddress(a.address)) return 'non-ASCII address';
      if (a.name && (CONTROL.test(a.name) || LINE_BREAK.test(a.name))) return 'control characters in a display name';
    }
  }
  return undefined;
}

/** Which action carries the message. */
export function chooseAction(
  mail: MailLike,
  action: 'auto' | 'SendRawEmail',
  ses: NormalizedSesOptions = {},
  addresses?: LazyAddresses,
): 'SendEmail' | 'SendRawEmail' {
  if (action === 'SendRawEmail') return 'SendRawEmail';
  return rawReason(mail, ses, addresses) === undefined ? 'SendEmail' : 'SendRawEmail';
}
