/** One HTTP answer as the layers above undici see it: status, headers (lower-case names) and the body text. */
export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A header's first value (names are lower case). */
export function headerOf(answer: Pick<HttpAnswer, 'headers'>, name: string): string | undefined {
  const v = answer.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
