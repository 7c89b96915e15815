/**
 * The one Query API encoder every action uses (SendEmail, SendRawEmail, GetSendQuota, STS):
 * nested parameters → flat `member.N` / dotted keys → an RFC 3986 form body. Knows nothing of
 * which action it encodes.
 */
import { LocalCodes, SesError } from '../errors.js';
import { FormBody, blobCapacity } from './form-body.js';

/**
 * A leaf value. Numbers and booleans are sent as `String(value)`; bytes (`Uint8Array`, so a Buffer) are
 * a blob, sent base64 as the Query protocol sends blobs (`RawMessage.Data`).
 */
export type QueryScalar = string | number | boolean | Uint8Array;
/** A parameter value: a leaf, a list (`member.N`), a structure (dotted keys), or nothing (left out). */
export type QueryValue = QueryScalar | null | undefined | readonly QueryValue[] | { readonly [key: string]: QueryValue };
/** The parameters of one action, without `Action` and `Version`. */
export type QueryParams = { readonly [key: string]: QueryValue };

/** The key prefix of list entries: `Name.member.1`, `Name.member.2`, … */
const MEMBER = 'member';

/**
 * Flattens nested parameters: objects become dotted keys (`Message.Body.Text.Data`), arrays become
 * `Name.member.N` from 1 (`Tags.member.1.Name` for a list of structures). `null`, `undefined` and
 * empty arrays are left out. Order is insertion order, so the same input always gives the same output.
 * Blobs stay bytes.
 */
function flatten(params: QueryParams): Array<[string, string | Uint8Array]> {
  const out: Array<[string, string | Uint8Array]> = [];
  for (const key of Object.keys(params)) flattenInto(out, key, params[key]);
  return out;
}

function flattenInto(out: Array<[string, string | Uint8Array]>, prefix: string, value: QueryValue): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object') {
    out.push([prefix, typeof value === 'string' ? value : String(value)]);
    return;
  }
  if (value instanceof Uint8Array) {
    out.push([prefix, value]);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) flattenInto(out, `${prefix}.${MEMBER}.${i + 1}`, value[i] as QueryValue);
    return;
  }
  const record = value as { readonly [key: string]: QueryValue };
  for (const key of Object.keys(record)) flattenInto(out, `${prefix}.${key}`, record[key]);
}

// encodeURIComponent leaves these five alone; RFC 3986 (and so SigV4) wants them escaped.
const SUB_DELIMS = /[!'()*]/g;
const SUB_DELIM_ESCAPES: Readonly<Record<string, string>> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' };
const escapeSubDelim = (c: string): string => SUB_DELIM_ESCAPES[c]!;
// Keys (`Destination.ToAddresses.member.1`) and most ids need no escaping at all.
const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;

/**
 * Percent-encodes the RFC 3986 way: UTF-8, every byte but `A-Z a-z 0-9 - _ . ~` as upper-case
 * `%XX` (space is `%20`, never `+`).
 *
 * Blobs (`RawMessage.Data`, up to 10 MB of base64) do not come through here: {@link encodeQueryBody}
 * writes them straight into the body, escaping only `+ / =`.
 *
 * @param key names the parameter in the error; the value itself never appears in it.
 * @throws SesError `EMESSAGE` when the text holds a lone surrogate (it has no UTF-8 form).
 */
export function percentEncode(value: string, key = 'value'): string {
  if (value.length < 256 && UNRESERVED_ONLY.test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch (cause) {
    // encodeURIComponent throws (URIError) only for a lone surrogate.
    throw new SesError(`Parameter "${key}" holds text that cannot be encoded as UTF-8 (a lone surrogate)`, {
      code: LocalCodes.MESSAGE,
      retryable: false,
      attempts: 0,
      cause,
    });
  }
  return encoded.replace(SUB_DELIMS, escapeSubDelim);
}

/**
 * The form body, as the bytes that are hashed and sent (ASCII):
 * `Action=<action>&Version=<version>&<key>=<value>…`, nested parameters flattened, keys and values
 * percent-encoded ({@link percentEncode}). A blob (`Uint8Array`) goes from base64 straight into the
 * body ({@link FormBody}): no percent-encoding pass over megabytes and no copy of the body as a string.
 * @throws SesError `EMESSAGE` naming the parameter when a value holds a lone surrogate.
 */
export function encodeQueryBody(action: string, version: string, params: QueryParams): Buffer {
  let text = `Action=${percentEncode(action, 'Action')}&Version=${percentEncode(version, 'Version')}`;
  let parts: Array<string | Uint8Array> | undefined;
  for (const [key, value] of flatten(params)) {
    text += `&${percentEncode(key, key)}=`;
    if (typeof value === 'string') {
      text += percentEncode(value, key);
    } else {
      (parts ??= []).push(text, value);
      text = '';
    }
  }
  if (!parts) return Buffer.from(text, 'latin1');
  parts.push(text);
  let capacity = 0;
  for (const part of parts) capacity += typeof part === 'string' ? part.length : blobCapacity(part.length);
  const body = new FormBody(capacity);
  for (const part of parts) {
    if (typeof part === 'string') body.text(part);
    else body.base64(part);
  }
  return body.bytes();
}
