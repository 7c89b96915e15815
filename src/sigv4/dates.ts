/**
 * The SigV4 timestamp, `YYYYMMDD'T'HHMMSS'Z'` in UTC (`20150830T123600Z`); milliseconds are dropped.
 * Throws a RangeError for an invalid Date (as `Date.prototype.toISOString` does).
 */
export function formatAmzDate(date: Date): string {
  // Requests in the same second share the string: under load most signatures hit this.
  const second = Math.floor(date.getTime() / 1000);
  if (second === lastSecond) return lastFormatted;
  const iso = date.toISOString(); // 2015-08-30T12:36:00.000Z
  lastFormatted = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  lastSecond = second;
  return lastFormatted;
}

let lastSecond = Number.NaN;
let lastFormatted = '';

/** The date part of an amz-date (`20150830`), used in the credential scope and the signing key. */
export function dateStamp(amzDate: string): string {
  return amzDate.slice(0, 8);
}
