/**
 * Step 1: the canonical request.
 *
 * ```
 * METHOD \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash
 * ```
 */
import { uriEscape } from './uri-escape.js';

/** The two header parts of a canonical request. */
export interface CanonicalHeaders {
  /** `name:value\n` lines, sorted by lower-case name (the block ends with `\n`). */
  canonical: string;
  /** The same names joined by `;`: the `SignedHeaders` list. */
  signed: string;
}

const SPACES = /[ \t\r\n]+/g;
// Leading or trailing whitespace, a tab or line break anywhere, or two spaces in a row.
const NEEDS_FOLDING = /^[ \t\r\n]|[ \t\r\n]$|[\t\r\n]| {2}/;

/**
 * A header value as SigV4 signs it: leading and trailing whitespace removed and every run of
 * spaces, tabs and line breaks (obsolete line folding included) turned into one space.
 */
export function canonicalHeaderValue(value: string): string {
  if (!NEEDS_FOLDING.test(value)) return value;
  let folded = value.replace(SPACES, ' ');
  if (folded.charCodeAt(0) === 32) folded = folded.slice(1);
  if (folded.charCodeAt(folded.length - 1) === 32) folded = folded.slice(0, -1);
  return folded;
}

/**
 * Canonical headers from `[name, value]` pairs: names lower-cased and sorted, values folded
 * ({@link canonicalHeaderValue}); a name given twice (in any case) gets its values joined by `,` in
 * the order given.
 */
export function canonicalHeaderList(entries: Iterable<readonly [string, string]>): CanonicalHeaders {
  const merged = new Map<string, string>();
  for (const [name, raw] of entries) {
    const lower = name.toLowerCase();
    const value = canonicalHeaderValue(raw);
    const before = merged.get(lower);
    merged.set(lower, before === undefined ? value : `${before},${value}`);
  }
  const names = [...merged.keys()].sort();
  let canonical = '';
  for (const name of names) canonical += `${name}:${merged.get(name)}\n`;
  return { canonical, signed: names.join(';') };
}

/** {@link canonicalHeaderList} over a header record. Every header given is signed. */
export function canonicalHeaders(headers: Readonly<Record<string, string>>): CanonicalHeaders {
  return canonicalHeaderList(Object.entries(headers));
}

const SAFE_PATH = /^[A-Za-z0-9\-._~/]*$/;

/**
 * The canonical URI: the path as given (as sent on the wire), each `/`-separated segment
 * percent-encoded once more, the way SigV4 asks for every service but S3 (so `%` becomes `%25`).
 * No dot-segment normalization: SES and STS are always called on `/`. Empty → `/`.
 */
export function canonicalUri(path: string): string {
  if (!path) return '/';
  if (SAFE_PATH.test(path)) return path;
  return path
    .split('/')
    .map((segment) => uriEscape(segment))
    .join('/');
}

function decodeComponent(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component; // a stray `%`: take it literally, it is encoded as `%25`
  }
}

/**
 * The canonical query string from a raw query (without `?`, encoded or not): each name and value
 * decoded, then percent-encoded the RFC 3986 way, sorted by encoded name, then by encoded value.
 * `+` is a literal plus, not a space. Empty → empty.
 */
export function canonicalQuery(query: string | undefined): string {
  if (!query) return '';
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([uriEscape(decodeComponent(name)), uriEscape(decodeComponent(value))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  let out = '';
  for (const [name, value] of pairs) out += `${out ? '&' : ''}${name}=${value}`;
  return out;
}

/**
 * The canonical request. `path` and `query` are raw (see {@link canonicalUri} and
 * {@link canonicalQuery}); `headers` come from {@link canonicalHeaders}; `payloadHash` is the hex
 * SHA-256 of the body.
 */
export function canonicalRequest(
  method: string,
  path: string,
  query: string | undefined,
  headers: CanonicalHeaders,
  payloadHash: string,
): string {
  return `${method}\n${canonicalUri(path)}\n${canonicalQuery(query)}\n${headers.canonical}\n${headers.signed}\n${payloadHash}`;
}
