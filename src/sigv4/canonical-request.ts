/**
 * Step 1: the canonical request. Header names are lower-cased and sorted; values are trimmed and runs
 * of spaces folded, as the SigV4 specification asks.
 */
export interface CanonicalHeaders {
  /** `name:value\n` lines, sorted by name. */
  canonical: string;
  /** `name;name;…`, sorted. */
  signed: string;
}

export function canonicalHeaders(headers: Readonly<Record<string, string>>): CanonicalHeaders {
  const names = Object.keys(headers).map((n) => n.toLowerCase());
  const values = new Map<string, string>();
  for (const name of Object.keys(headers)) {
    const value = String(headers[name]).trim().replace(/\s+/g, ' ');
    const lower = name.toLowerCase();
    values.set(lower, values.has(lower) ? `${values.get(lower)},${value}` : value);
  }
  const sorted = [...new Set(names)].sort();
  let canonical = '';
  for (const name of sorted) canonical += `${name}:${values.get(name)}\n`;
  return { canonical, signed: sorted.join(';') };
}

/** Canonical query string: parameters sorted by encoded key, then value. Input is already encoded. */
export function canonicalQuery(query: string | undefined): string {
  if (!query) return '';
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    })
    .sort(([ak, av], [bk, bv]) => (ak! < bk! ? -1 : ak! > bk! ? 1 : av! < bv! ? -1 : av! > bv! ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export function canonicalRequest(
  method: string,
  path: string,
  query: string | undefined,
  headers: CanonicalHeaders,
  payloadHash: string,
): string {
  return `${method.toUpperCase()}\n${path || '/'}\n${canonicalQuery(query)}\n${headers.canonical}\n${headers.signed}\n${payloadHash}`;
}
