// The events code's shape: one table of codes with their HTTP status and retryability, and no import
// cycle (madge, as `npm run lint` runs it).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SesError } from '../../src/index.js';
import { SnsCodes, httpStatusOf } from '../../src/events/index.js';
import { snsError } from '../../src/events/errors.js';

describe('SnsCodes', () => {
  it('each code has its HTTP status, and retryable matches what SNS should do', () => {
    const table = Object.values(SnsCodes).map((code) => {
      const err = snsError(code, 'x');
      return [code, httpStatusOf(err), err.retryable];
    });
    expect(table).toEqual([
      ['ESNSMALFORMED', 400, false],
      ['ESNSRAW', 400, false],
      ['ESNSTOPIC', 400, false],
      ['ESNSEXPIRED', 400, false],
      ['ESNSCERTHOST', 400, false],
      ['ESNSSIGNATURE', 400, false],
      ['ESNSCERT', 500, true],
      ['ESNSSUBSCRIBE', 500, true],
      ['ESNSINFLIGHT', 503, true],
    ]);
    expect(httpStatusOf(new Error('onEvent failed'))).toBe(500);
    expect(httpStatusOf(new SesError('x', { code: 'ECONNECTION' }))).toBe(500);
    expect(httpStatusOf({ code: 'ESNSTOPIC' })).toBe(500);
  });
});

describe('imports', () => {
  it('src/events has no import cycle', async () => {
    const specifier = 'madge';
    const madge = ((await import(specifier)) as { default: (path: string, config: object) => Promise<{ circular(): string[][] }> }).default;
    const root = fileURLToPath(new URL('../../src/', import.meta.url));
    const result = await madge(root + 'events', {
      fileExtensions: ['ts'],
      tsConfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)),
    });
    expect(result.circular()).toEqual([]);
  });
});
