/**
 * SigV4's own URI escaping for the canonical path and query: UTF-8, every byte but
 * `A-Z a-z 0-9 - _ . ~` as upper-case `%XX`. Kept here, apart from the Query encoder, so the signer
 * depends on nothing outside this folder (as smithy's signature-v4 keeps its own `escapeUri`).
 * A lone surrogate (no UTF-8 form) is written as U+FFFD: the canonical request of a path or query
 * that cannot be sent anyway never fails to build.
 */
const NOT_ESCAPED_BY_ENCODE_URI_COMPONENT = /[!'()*]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const hex = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

export function uriEscape(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(NOT_ESCAPED_BY_ENCODE_URI_COMPONENT, hex);
}
