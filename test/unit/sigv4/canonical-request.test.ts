import { describe, expect, it } from 'vitest';
import {
  canonicalHeaderList,
  canonicalHeaderValue,
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  formatAmzDate,
  hashPayload,
} from '../../../src/sigv4/index.js';
import { SUITE_DATE, loadSuite } from '../../fixtures/sigv4/suite.js';

describe('canonical request against the AWS test suite', () => {
  const amzDate = formatAmzDate(SUITE_DATE);
  const cases = loadSuite().filter((c) => c.expected.canonicalRequest !== undefined);

  it('has the vendored cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const headers = canonicalHeaders({
      ...c.headers,
      host: c.host,
      'x-amz-date': amzDate,
      ...(c.sessionToken ? { 'x-amz-security-token': c.sessionToken } : {}),
    });
    expect(canonicalRequest(c.method, c.path, c.query, headers, hashPayload(c.body))).toBe(c.expected.canonicalRequest);
  });
});

describe('canonicalHeaderValue', () => {
  it.each([
    ['value1', 'value1'],
    ['  value1 ', 'value1'],
    ['"a   b   c"', '"a b c"'],
    ['a\tb', 'a b'],
    ['value1\n  value2\n     value3', 'value1 value2 value3'],
    ['\r\n x \r\n', 'x'],
    ['', ''],
    ['   ', ''],
    ['UPPER case', 'UPPER case'],
  ])('%j → %j', (input, expected) => expect(canonicalHeaderValue(input)).toBe(expected));
});

describe('canonicalHeaders', () => {
  it('lower-cases and sorts names, lists them as the signed headers', () => {
    expect(canonicalHeaders({ 'X-Amz-Date': 'd', Host: 'h', 'content-type': 'c', 'My-Header1': 'v' })).toEqual({
      canonical: 'content-type:c\nhost:h\nmy-header1:v\nx-amz-date:d\n',
      signed: 'content-type;host;my-header1;x-amz-date',
    });
  });

  it('joins the values of a repeated name with commas, in the order given', () => {
    expect(
      canonicalHeaderList([
        ['My-Header1', 'value4'],
        ['my-header1', ' value1 '],
        ['MY-HEADER1', 'value3'],
      ]),
    ).toEqual({
      canonical: 'my-header1:value4,value1,value3\n',
      signed: 'my-header1',
    });
  });

  it('sorts by byte order, so "-" sorts before letters and digits', () => {
    expect(canonicalHeaders({ 'x-b': '1', 'x-a-b': '2', x: '3', 'x-a': '4' }).signed).toBe('x;x-a;x-a-b;x-b');
  });

  it('treats "__proto__" as an ordinary header name', () => {
    expect(
      canonicalHeaderList([
        ['__proto__', 'x'],
        ['host', 'h'],
      ]).canonical,
    ).toBe('__proto__:x\nhost:h\n');
  });
});

describe('canonicalUri', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['/ses/v1/', '/ses/v1/'],
    ['/-._~09AZaz', '/-._~09AZaz'],
    ['/a b', '/a%20b'],
    ['/ሴ', '/%E1%88%B4'],
    ['/a%20b', '/a%2520b'],
    ["/!'()*+=&", '/%21%27%28%29%2A%2B%3D%26'],
  ])('%j → %j', (input, expected) => expect(canonicalUri(input)).toBe(expected));
});

describe('canonicalQuery', () => {
  it.each([
    [undefined, ''],
    ['', ''],
    ['b=2&a=1', 'a=1&b=2'],
    ['a=2&a=1&a=10', 'a=1&a=10&a=2'],
    ['a-b=1&a=2', 'a=2&a-b=1'],
    ['flag', 'flag='],
    ['a=x%20y&b=x y', 'a=x%20y&b=x%20y'],
    ['a=1+1', 'a=1%2B1'],
    ['%E1%88%B4=1&P=2', '%E1%88%B4=1&P=2'],
    ['ሴ=1&P=2', '%E1%88%B4=1&P=2'],
    ['a=%zz', 'a=%25zz'],
    ["k=!'()*", 'k=%21%27%28%29%2A'],
    ['&&a=1&', 'a=1'],
  ])('%j → %j', (input, expected) => expect(canonicalQuery(input)).toBe(expected));
});
