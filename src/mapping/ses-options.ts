/**
 * The `ses` key (transport defaults and per message): checked, SESv2 names folded into the v1
 * parameters they stand for, and merged. Refuses anything it does not know, naming the key.
 */
import { messageError } from '../errors.js';

export type SesTag = { Name: string; Value: string };

/** SES options for a message (or the transport's defaults). */
export interface SesMessageOptions {
  /** Configuration set for event publishing and dedicated IPs. */
  ConfigurationSetName?: string;
  /** Message tags (SES event publishing). */
  Tags?: SesTag[];
  /** Sending authorization: the identity that permits the sender (`Source`). */
  SourceArn?: string;
  /** Sending authorization for the From header of a raw message (forces `SendRawEmail`). */
  FromArn?: string;
  /** Sending authorization for the Return-Path address. */
  ReturnPathArn?: string;
  /** Where bounces and complaints go. */
  ReturnPath?: string;
  /** SESv2 name for `Tags`. */
  EmailTags?: SesTag[];
  /** SESv2 name: the identity that permits the From address (→ `SourceArn`, and `FromArn` on the raw path). */
  FromEmailAddressIdentityArn?: string;
  /** SESv2 name for `ReturnPath`. */
  FeedbackForwardingEmailAddress?: string;
  /** SESv2 name for `ReturnPathArn`. */
  FeedbackForwardingEmailAddressIdentityArn?: string;
}

const STRING_KEYS = ['ConfigurationSetName', 'SourceArn', 'FromArn', 'ReturnPathArn', 'ReturnPath'] as const;

/** The v1 parameters after aliases are folded in. */
export type NormalizedSesOptions = Pick<SesMessageOptions, (typeof STRING_KEYS)[number] | 'Tags'> & {
  /** From FromEmailAddressIdentityArn: SourceArn, and FromArn when the message goes raw. */
  IdentityArn?: string;
};
const ALIASES = {
  EmailTags: 'Tags',
  FeedbackForwardingEmailAddress: 'ReturnPath',
  FeedbackForwardingEmailAddressIdentityArn: 'ReturnPathArn',
  FromEmailAddressIdentityArn: 'IdentityArn',
} as const;
const KNOWN = new Set<string>([...STRING_KEYS, 'Tags', ...Object.keys(ALIASES)]);
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;
const TAG_VALUE = /^[A-Za-z0-9_-]{0,256}$/;

function checkTags(value: unknown, key: string, where: string): SesTag[] {
  if (!Array.isArray(value)) throw messageError(`ses.${key} (${where}) must be an array of { Name, Value }`);
  return value.map((tag: unknown, i) => {
    const t = tag as Partial<SesTag> | null;
    if (!t || typeof t !== 'object' || typeof t.Name !== 'string' || typeof t.Value !== 'string') {
      throw messageError(`ses.${key}[${i}] (${where}) must be { Name: string, Value: string }`);
    }
    if (!TAG_PART.test(t.Name)) {
      throw messageError(`ses.${key}[${i}].Name (${where}) must be 1 to 256 ASCII letters, digits, "_" or "-"`);
    }
    if (!TAG_VALUE.test(t.Value)) {
      throw messageError(`ses.${key}[${i}].Value for tag "${t.Name}" (${where}) must be at most 256 ASCII letters, digits, "_" or "-"`);
    }
    return { Name: t.Name, Value: t.Value };
  });
}

/** Checks a `ses` object and folds SESv2 names into v1 ones. Throws `EMESSAGE` naming the key at fault. */
export function normalizeSesOptions(value: unknown, where: 'transport' | 'message'): NormalizedSesOptions {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw messageError(`The ses option (${where}) must be an object`);
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    const v = input[key];
    if (!KNOWN.has(key)) {
      throw messageError(`Unknown ses option "${key}" (${where}); known: ${[...KNOWN].join(', ')}`);
    }
    if (v === undefined) continue;
    const target: string = (ALIASES as Record<string, string>)[key] ?? key;
    const normalized = target === 'Tags' ? checkTags(v, key, where) : v;
    if (target !== 'Tags' && (typeof v !== 'string' || !v)) throw messageError(`ses.${key} (${where}) must be a non-empty string`);
    if (out[target] !== undefined && JSON.stringify(out[target]) !== JSON.stringify(normalized)) {
      throw messageError(`ses.${key} (${where}) contradicts another key for the same SES parameter (${target})`);
    }
    out[target] = normalized;
  }
  return out;
}

/** Per-message options win key by key; Tags are replaced as a whole, not merged. */
export function mergeSesOptions(
  defaults: NormalizedSesOptions | undefined,
  perMessage: NormalizedSesOptions | undefined,
): NormalizedSesOptions {
  if (!defaults) return perMessage ?? {};
  if (!perMessage) return defaults;
  return { ...defaults, ...perMessage };
}
