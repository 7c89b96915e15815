import { describe, expect, it } from 'vitest';
import { dateStamp, formatAmzDate } from '../../../src/sigv4/index.js';

describe('formatAmzDate', () => {
  it.each([
    ['2015-08-30T12:36:00Z', '20150830T123600Z'],
    ['2015-08-30T12:36:00.999Z', '20150830T123600Z'],
    ['2024-02-29T23:59:59.001Z', '20240229T235959Z'],
    ['2000-01-01T00:00:00Z', '20000101T000000Z'],
    ['2015-08-30T23:30:00-02:00', '20150831T013000Z'],
  ])('%s → %s', (iso, expected) => expect(formatAmzDate(new Date(iso))).toBe(expected));

  it('throws for an invalid Date', () => expect(() => formatAmzDate(new Date(Number.NaN))).toThrow(RangeError));
});

describe('dateStamp', () => {
  it('is the date part', () => expect(dateStamp('20150830T123600Z')).toBe('20150830'));
});
