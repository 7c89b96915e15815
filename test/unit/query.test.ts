import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeQuery, flattenQuery, percentEncode } from '../../src/query.js';
import { SesError } from '../../src/errors.js';

// An independent reference: UTF-8 bytes, everything but the unreserved set as %XX.
function reference(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

describe('flattenQuery', () => {
  it('flattens nesting with dots and lists as member.N from 1, in insertion order', () => {
    expect(
      flattenQuery({
        Source: 'a@b.c',
        Destination: { ToAddresses: ['x@y.z', 'w@y.z'], CcAddresses: [] },
        Message: { Subject: { Data: 'Hi', Charset: 'UTF-8' } },
        Tags: [{ Name: 'a', Value: '1' }, { Name: 'b', Value: '2' }],
        Skipped: undefined,
        AlsoSkipped: null,
        Count: 3,
        Flag: false,
      }),
    ).toEqual([
      ['Source', 'a@b.c'],
      ['Destination.ToAddresses.member.1', 'x@y.z'],
      ['Destination.ToAddresses.member.2', 'w@y.z'],
      ['Message.Subject.Data', 'Hi'],
      ['Message.Subject.Charset', 'UTF-8'],
      ['Tags.member.1.Name', 'a'],
      ['Tags.member.1.Value', '1'],
      ['Tags.member.2.Name', 'b'],
      ['Tags.member.2.Value', '2'],
      ['Count', '3'],
      ['Flag', 'false'],
    ]);
  });
});

describe('percentEncode', () => {
  it.each([
    [' ', '%20'],
    ['+', '%2B'],
    ['*', '%2A'],
    ['~', '~'],
    ["!'()", '%21%27%28%29'],
    ['a=b&c', 'a%3Db%26c'],
    ['é', '%C3%A9'],
    ['🎉', '%F0%9F%8E%89'],
    ['\r\n\0', '%0D%0A%00'],
  ])('%j → %s', (input, expected) => {
    expect(percentEncode(input)).toBe(expected);
  });

  it('agrees with a byte-by-byte reference on any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 64 }), (s) => percentEncode(s) === reference(s)), { numRuns: 500 });
  });

  it('takes the base64 fast path with the same result as the generic path', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 200, maxLength: 4000 }), (bytes) => {
        const b64 = Buffer.from(bytes).toString('base64');
        return percentEncode(b64) === reference(b64);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a lone surrogate with EMESSAGE naming the key, not the value', () => {
    let err: unknown;
    try {
      encodeQuery('SendEmail', '2010-12-01', { Message: { Subject: { Data: 'secret\uD800text' } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SesError);
    expect((err as SesError).code).toBe('EMESSAGE');
    expect((err as SesError).message).toContain('Message.Subject.Data');
    expect((err as SesError).message).not.toContain('secret');
  });
});

describe('encodeQuery', () => {
  it('puts Action and Version first and never emits a raw + or space', () => {
    const body = encodeQuery('SendEmail', '2010-12-01', { Source: 'a+b@c.d', Message: { Subject: { Data: 'x y' } } });
    expect(body).toBe('Action=SendEmail&Version=2010-12-01&Source=a%2Bb%40c.d&Message.Subject.Data=x%20y');
  });

  it('round-trips through a form decoder for any parameters (no parameter injection)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/), fc.string({ unit: 'grapheme', maxLength: 40 })), (params) => {
        const body = encodeQuery('A', 'V', params);
        const decoded = [...new URLSearchParams(body)];
        expect(decoded).toEqual([['Action', 'A'], ['Version', 'V'], ...Object.entries(params)]);
      }),
      { numRuns: 300 },
    );
  });
});
