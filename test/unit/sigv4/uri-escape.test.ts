import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uriEscape } from '../../../src/sigv4/uri-escape.js';
import { percentEncode } from '../../../src/wire/query.js';

describe('uriEscape', () => {
  it('escapes every byte but the unreserved ones, upper-case hex, space as %20', () => {
    expect(uriEscape("a b!'()*~-_.ü")).toBe('a%20b%21%27%28%29%2A~-_.%C3%BC');
  });
  it('agrees with the Query encoder on well-formed text (two independent implementations)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(uriEscape(s)).toBe(percentEncode(s));
      }),
      { numRuns: 500 },
    );
  });
  it('writes a lone surrogate as U+FFFD instead of throwing', () => {
    expect(uriEscape('a\uD800b')).toBe('a%EF%BF%BDb');
  });
});
