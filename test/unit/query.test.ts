import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SesError } from '../../src/errors.js';
import { encodeQueryBody, percentEncode, type QueryParams, type QueryValue } from '../../src/wire/query.js';

/** The body as text. */
const encodeQuery = (action: string, version: string, params: QueryParams): string =>
  encodeQueryBody(action, version, params).toString('latin1');

/** What a standard form decoder reads back from the body, without Action and Version. */
const decoded = (params: QueryParams): Array<[string, string]> => [...new URLSearchParams(encodeQuery('A', 'V', params))].slice(2);

/** An independent flattening, written from the wire rules (dots, member.N from 1, nulls left out). */
function expectedPairs(params: QueryParams): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (prefix: string, v: QueryValue): void => {
    if (v === null || v === undefined) return;
    if (v instanceof Uint8Array) out.push([prefix, Buffer.from(v).toString('base64')]);
    else if (Array.isArray(v)) v.forEach((item: QueryValue, i: number) => walk(`${prefix}.member.${i + 1}`, item));
    else if (typeof v === 'object') for (const k of Object.keys(v)) walk(`${prefix}.${k}`, (v as Record<string, QueryValue>)[k]);
    else out.push([prefix, String(v)]);
  };
  for (const k of Object.keys(params)) walk(k, params[k]);
  return out;
}

// An independent reference: the UTF-8 bytes, each one but A-Z a-z 0-9 - _ . ~ as upper-case %XX.
function reference(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const unreserved =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2d ||
      byte === 0x5f ||
      byte === 0x2e ||
      byte === 0x7e;
    out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function caught(fn: () => unknown): SesError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SesError);
    return err as SesError;
  }
  throw new Error('expected a throw');
}

describe('nested parameters, as a form decoder reads them back', () => {
  it('flattens nesting with dots and lists as member.N from 1, in insertion order', () => {
    expect(
      decoded({
        Source: 'a@b.c',
        Destination: { ToAddresses: ['x@y.z', 'w@y.z'], CcAddresses: [], BccAddresses: undefined },
        Message: { Subject: { Data: 'Hi', Charset: 'UTF-8' }, Body: { Text: { Data: 't' }, Html: null } },
        Tags: [
          { Name: 'a', Value: '1' },
          { Name: 'b', Value: '2' },
        ],
        Skipped: undefined,
        AlsoSkipped: null,
        Count: 3,
        Zero: 0,
        Flag: false,
        Empty: '',
        Nothing: {},
      }),
    ).toEqual([
      ['Source', 'a@b.c'],
      ['Destination.ToAddresses.member.1', 'x@y.z'],
      ['Destination.ToAddresses.member.2', 'w@y.z'],
      ['Message.Subject.Data', 'Hi'],
      ['Message.Subject.Charset', 'UTF-8'],
      ['Message.Body.Text.Data', 't'],
      ['Tags.member.1.Name', 'a'],
      ['Tags.member.1.Value', '1'],
      ['Tags.member.2.Name', 'b'],
      ['Tags.member.2.Value', '2'],
      ['Count', '3'],
      ['Zero', '0'],
      ['Flag', 'false'],
      ['Empty', ''],
    ]);
  });

  it('numbers list entries from 1 past ten, skips holes left by null, and nests lists', () => {
    const many = Array.from({ length: 12 }, (_, i) => `v${i + 1}`);
    const flat = decoded({ L: many, Sparse: ['a', null, 'c'], Grid: [['x'], ['y', 'z']] });
    expect(flat.slice(9, 12)).toEqual([
      ['L.member.10', 'v10'],
      ['L.member.11', 'v11'],
      ['L.member.12', 'v12'],
    ]);
    expect(flat.slice(12)).toEqual([
      ['Sparse.member.1', 'a'],
      ['Sparse.member.3', 'c'],
      ['Grid.member.1.member.1', 'x'],
      ['Grid.member.2.member.1', 'y'],
      ['Grid.member.2.member.2', 'z'],
    ]);
  });

  it('keeps insertion order, so the same input gives the same body', () => {
    const params: QueryParams = { B: '1', A: ['2', '3'], C: { Z: '4', Y: '5' } };
    expect(decoded(params)).toEqual([
      ['B', '1'],
      ['A.member.1', '2'],
      ['A.member.2', '3'],
      ['C.Z', '4'],
      ['C.Y', '5'],
    ]);
    expect(encodeQuery('A', 'V', params)).toBe(encodeQuery('A', 'V', JSON.parse(JSON.stringify(params)) as QueryParams));
  });
});

describe('percentEncode', () => {
  it.each([
    [' ', '%20'],
    ['+', '%2B'],
    ['*', '%2A'],
    ['~', '~'],
    ['!', '%21'],
    ["'", '%27'],
    ['(', '%28'],
    [')', '%29'],
    ['-_.', '-_.'],
    ['a=b&c', 'a%3Db%26c'],
    ['/?#[]@', '%2F%3F%23%5B%5D%40'],
    ['%', '%25'],
    ['é', '%C3%A9'],
    ['ሴ', '%E1%88%B4'],
    ['🎉', '%F0%9F%8E%89'],
    ['\r\n\0\x7f', '%0D%0A%00%7F'],
    ['', ''],
  ])('%j → %s', (input, expected) => {
    expect(percentEncode(input)).toBe(expected);
  });

  it('agrees with a byte-by-byte reference on every ASCII character', () => {
    for (let c = 0; c < 128; c++) expect(percentEncode(String.fromCharCode(c))).toBe(reference(String.fromCharCode(c)));
  });

  it('agrees with a byte-by-byte reference on any well-formed string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 64 }), fc.string({ unit: 'binary', maxLength: 64 })), (s) => {
        expect(percentEncode(s)).toBe(reference(s));
      }),
      { numRuns: 300 },
    );
  });

  it('encodes base64 values (RawMessage.Data) the same as the generic reference and as escaping only + / =', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6000 }), (bytes) => {
        const b64 = Buffer.from(bytes).toString('base64');
        const encoded = percentEncode(b64);
        expect(encoded).toBe(reference(b64));
        expect(encoded).toBe(b64.replace(/\+/g, '%2B').replace(/\//g, '%2F').replace(/=/g, '%3D'));
      }),
      { numRuns: 200 },
    );
  });

  it('encodes a multi-megabyte base64 value correctly', () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    const b64 = bytes.toString('base64');
    const encoded = percentEncode(b64);
    expect(Buffer.from(decodeURIComponent(encoded), 'base64').equals(bytes)).toBe(true);
    expect(encoded).toMatch(/^[A-Za-z0-9%]+$/);
  });

  it.each([
    ['a lone high surrogate', 'ab\uD800cd'],
    ['a lone low surrogate', '\uDC00'],
    ['a reversed pair', '\uDE00\uD83D'],
    ['a high surrogate at the end', 'text\uD83D'],
  ])('refuses %s with EMESSAGE', (_what, value) => {
    const err = caught(() => percentEncode(value, 'Message.Subject.Data'));
    expect(err.code).toBe('EMESSAGE');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('Message.Subject.Data');
  });
});

describe('encodeQuery', () => {
  it('puts Action and Version first and never emits a raw + or space', () => {
    const body = encodeQuery('SendEmail', '2010-12-01', { Source: 'a+b@c.d', Message: { Subject: { Data: 'x y' } } });
    expect(body).toBe('Action=SendEmail&Version=2010-12-01&Source=a%2Bb%40c.d&Message.Subject.Data=x%20y');
  });

  it('encodes an action without parameters', () => {
    expect(encodeQuery('GetSendQuota', '2010-12-01', {})).toBe('Action=GetSendQuota&Version=2010-12-01');
  });

  it('encodes keys too', () => {
    expect(encodeQuery('A', 'V', { 'Odd Key': 'v', 'k*': '(x)' })).toBe('Action=A&Version=V&Odd%20Key=v&k%2A=%28x%29');
  });

  it('encodes lists of structures', () => {
    expect(encodeQuery('SendRawEmail', '2010-12-01', { Tags: [{ Name: 'n', Value: 'a b' }], Destinations: ['x@y.z'] })).toBe(
      'Action=SendRawEmail&Version=2010-12-01&Tags.member.1.Name=n&Tags.member.1.Value=a%20b&Destinations.member.1=x%40y.z',
    );
  });

  it('refuses a lone surrogate with EMESSAGE naming the key, not the value', () => {
    const err = caught(() => encodeQuery('SendEmail', '2010-12-01', { Message: { Subject: { Data: 'secret\uD800text' } } }));
    expect(err.code).toBe('EMESSAGE');
    expect(err.message).toContain('Message.Subject.Data');
    expect(err.message).not.toContain('secret');
    expect(err.cause).toBeInstanceOf(URIError);
  });

  it('names the list entry that holds a lone surrogate', () => {
    const err = caught(() => encodeQuery('SendEmail', '2010-12-01', { Destination: { ToAddresses: ['ok@x.y', 'bad\uDFFF@x.y'] } }));
    expect(err.message).toContain('Destination.ToAddresses.member.2');
    expect(err.message).not.toContain('bad');
  });

  const leaf = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(undefined));
  const value: fc.Arbitrary<QueryValue> = fc.letrec<{ v: QueryValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.stringMatching(/^[A-Z][A-Za-z]{0,6}$/), tie('v'), { maxKeys: 3 }),
    ),
  })).v;

  it('round-trips through a form decoder for any nested parameters (no parameter injection)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/), value, { maxKeys: 5 }), (params) => {
        const body = encodeQuery('A', 'V', params);
        expect(body).not.toMatch(/[^A-Za-z0-9\-_.~%=&]/);
        expect([...new URLSearchParams(body)]).toEqual([['Action', 'A'], ['Version', 'V'], ...expectedPairs(params)]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeQueryBody with blobs (Uint8Array values, sent base64)', () => {
  // What the body must be: the blob's base64, percent-encoded by the generic reference.
  const expected = (before: string, bytes: Uint8Array, after: string): string =>
    `Action=SendRawEmail&Version=2010-12-01&Source=${reference(before)}&RawMessage.Data=${reference(Buffer.from(bytes).toString('base64'))}&Tag=${reference(after)}`;

  it('writes any bytes as escaped base64, between the parameters around it', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ min: 0xf8, max: 0xff, maxLength: 3000 })),
        fc.string({ maxLength: 20 }),
        (before, bytes, after) => {
          const body = encodeQueryBody('SendRawEmail', '2010-12-01', { Source: before, RawMessage: { Data: bytes }, Tag: after });
          expect(body.toString('latin1')).toBe(expected(before, bytes, after));
          expect(new URLSearchParams(body.toString('latin1')).get('RawMessage.Data')).toBe(Buffer.from(bytes).toString('base64'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('escapes a blob that is nearly all + and / (bytes 0xF8-0xFF) and one with none', () => {
    const slashes = Buffer.alloc(3001, 0xff); // "////…/w=="
    const plain = Buffer.from('ASCII text, as a MIME message is\r\n'.repeat(200));
    for (const bytes of [slashes, plain, Buffer.alloc(0), Buffer.from([0xfb, 0xef, 0xbe])]) {
      expect(encodeQueryBody('SendRawEmail', '2010-12-01', { Source: 's', RawMessage: { Data: bytes }, Tag: 't' }).toString('latin1')).toBe(
        expected('s', bytes, 't'),
      );
    }
  });

  it('reads a Uint8Array view at its own offset, not its whole buffer', () => {
    const whole = Uint8Array.from([1, 2, 3, 250, 251, 252, 253, 4, 5]);
    const view = whole.subarray(3, 7);
    expect(encodeQueryBody('A', 'V', { D: view }).toString('latin1')).toBe(
      `Action=A&Version=V&D=${reference(Buffer.from([250, 251, 252, 253]).toString('base64'))}`,
    );
  });

  it('encodes several blobs and a list of them', () => {
    const a = Buffer.from([0xff, 0xfe]);
    const b = Buffer.from('hello');
    const body = encodeQueryBody('A', 'V', { X: a, L: [b, a] }).toString('latin1');
    expect([...new URLSearchParams(body)]).toEqual([
      ['Action', 'A'],
      ['Version', 'V'],
      ['X', a.toString('base64')],
      ['L.member.1', b.toString('base64')],
      ['L.member.2', a.toString('base64')],
    ]);
  });

  it('is plain ASCII, escaped the RFC 3986 way', () => {
    const params = { Source: 'a+b@c.d', Message: { Subject: { Data: 'x ü y' } } };
    const body = encodeQueryBody('SendEmail', '2010-12-01', params);
    expect(body.toString('latin1')).toBe(
      `Action=SendEmail&Version=2010-12-01&Source=${reference('a+b@c.d')}&Message.Subject.Data=${reference('x ü y')}`,
    );
    expect(body.every((byte) => byte < 0x80)).toBe(true);
  });

  it('encodes a multi-megabyte blob that decodes back to the same bytes', () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 1);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    const body = encodeQueryBody('SendRawEmail', '2010-12-01', { RawMessage: { Data: bytes } }).toString('latin1');
    expect(body).toMatch(/^[A-Za-z0-9%=&.-]+$/);
    expect(Buffer.from(new URLSearchParams(body).get('RawMessage.Data')!, 'base64').equals(bytes)).toBe(true);
  });
});
