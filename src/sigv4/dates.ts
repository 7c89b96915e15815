/** `20150830T123600Z` from a Date. */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** `20150830` from an amz-date. */
export function dateStamp(amzDate: string): string {
  return amzDate.slice(0, 8);
}
