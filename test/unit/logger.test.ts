import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

describe('createLogger (Nodemailer getLogger conventions)', () => {
  it('adds component and tnx to every entry of a bunyan-style logger', () => {
    const seen: unknown[][] = [];
    const log = createLogger({ info: (...args: unknown[]) => seen.push(args) }, 'my-mailer');
    log.info({ tnx: 'send', id: 1 }, 'sent %s', 'x');
    expect(seen).toEqual([[{ component: 'my-mailer', tnx: 'send', id: 1 }, 'sent %s', 'x']]);
  });

  it('sends a level the logger lacks to the nearest one it has, instead of dropping it', () => {
    const got: string[] = [];
    const log = createLogger(
      {
        info: (_e: unknown, m: unknown) => got.push(`info:${String(m)}`),
        error: (_e: unknown, m: unknown) => got.push(`error:${String(m)}`),
      },
      'c',
    );
    log.debug({ tnx: 't' }, 'd');
    log.trace({ tnx: 't' }, 'tr');
    log.warn({ tnx: 't' }, 'w');
    log.fatal({ tnx: 't' }, 'f');
    expect(got).toEqual(['info:d', 'info:tr', 'error:w', 'error:f']);
    const onlyLog: string[] = [];
    createLogger({ log: (_e: unknown, m: unknown) => onlyLog.push(String(m)) }, 'c').warn({ tnx: 't' }, 'via log');
    expect(onlyLog).toEqual(['via log']);
  });

  it('is silent when off', () => {
    expect(() => createLogger(false, 'c').error({ tnx: 't' }, 'x')).not.toThrow();
  });
});
