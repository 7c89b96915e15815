/**
 * The one Query API encoder every action uses (SendEmail, SendRawEmail, GetSendQuota, STS):
 * nested parameters → flat `member.N` / dotted keys → an RFC 3986 form body. Knows nothing of
 * which action it encodes.
 */
import { LocalCodes, SesError } from './errors.js';

export type QueryScalar = string | number | boolean;
export type QueryValue = QueryScalar | null | undefined | readonly QueryValue[] | { readonly [key: string]: QueryValue };
export type QueryParams = { readonly [key: string]: QueryValue };

/**
 * Flattens nested parameters: objects become dotted keys (`Message.Body.Text.Data`), arrays become
 * `Name.member.N` from 1 (`Tags.member.1.Name`). `null`, `undefined` and empty arrays are left out.
 * Order is insertion order, so the same input always gives the same output.
 */
export function flattenQuery(params: QueryParams): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  flattenInto(out, '', params);
  return out;
}

function flattenInto(out: Array<[string, string]>, prefix: string, value: QueryValue): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) flattenInto(out, `${prefix}.member.${i + 1}`, value[i] as QueryValue);
    return;
  }
  if (typeof value === 'object') {
    for (const key of Object.keys(value)) {
      flattenInto(out, prefix ? `${prefix}.${key}` : key, (value as { readonly [key: string]: QueryValue })[key]);
    }
    return;
  }
  out.push([prefix, String(value)]);
}

// Characters encodeURIComponent leaves alone but RFC 3986 (and so SigV4) wants escaped.
const EXTRA_RESERVED = /[!'()*]/g;
const escapeExtra = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
// A base64 string needs only three escapes; checking for it is much cheaper than the generic path.
const BASE64_SHAPE = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_SPECIALS = /[+/=]/g;
const escapeBase64 = (c: string): string => (c === '+' ? '%2B' : c === '/' ? '%2F' : '%3D');
const FAST_PATH_MIN_LENGTH = 256;

/** Percent-encodes the RFC 3986 way: UTF-8, every byte but `A-Z a-z 0-9 - _ . ~` as upper-case `%XX`. */
export function percentEncode(value: string, key = 'value'): string {
  if (value.length >= FAST_PATH_MIN_LENGTH && BASE64_SHAPE.test(value)) {
    return value.replace(BASE64_SPECIALS, escapeBase64);
  }
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch (cause) {
    // encodeURIComponent throws only for a lone surrogate, which has no UTF-8 form.
    throw new SesError(`Parameter "${key}" holds text that cannot be encoded as UTF-8 (a lone surrogate)`, {
      code: LocalCodes.MESSAGE,
      retryable: false,
      attempts: 0,
      cause,
    });
  }
  return encoded.replace(EXTRA_RESERVED, escapeExtra);
}

/** The form body: `Action=<action>&Version=<version>&…`, keys and values percent-encoded. */
export function encodeQuery(action: string, version: string, params: QueryParams): string {
  let body = `Action=${percentEncode(action)}&Version=${percentEncode(version)}`;
  for (const [key, value] of flattenQuery(params)) {
    body += `&${percentEncode(key, key)}=${percentEncode(value, key)}`;
  }
  return body;
}
