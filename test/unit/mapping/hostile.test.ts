// Hostile input: CR/LF, NUL, long lines and unicode in subjects, names, header values and bodies.
// Each message is either carried faithfully (no header injected into the raw MIME, no parameter
// injected into the form body) or refused with EMESSAGE.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SesError } from '../../../src/errors.js';
import { encodeQueryBody } from '../../../src/wire/query.js';
import { mapThroughNodemailer, rawMime } from '../../support/capture.js';

const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    'a\r\nX-Injected: yes',
    'a\nBcc: evil@example.com',
    'a\rX-Injected: yes',
    'nul\u0000byte',
    '&Action=SendRawEmail&x=',
    ' '.repeat(3),
  ),
  fc.string({ unit: fc.constantFrom('a', ' ', '\r', '\n', '\u0000', 'é', '🎉', ':', '&', '=', '+', '%'), maxLength: 60 }),
  fc.constant('L'.repeat(2000)),
);

function headerBlock(mime: string): string[] {
  const end = mime.indexOf('\r\n\r\n');
  // Unfold continuation lines, then split into header fields.
  return mime
    .slice(0, end)
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n');
}

describe('hostile input', () => {
  it('never injects a header into the raw message or a parameter into the form body', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, nasty, nasty, fc.boolean(), async (subject, name, headerValue, text, raw) => {
        let result;
        try {
          result = await mapThroughNodemailer(
            {
              from: { name, address: 'sender@example.com' },
              to: 'to@example.org',
              subject,
              text,
              ...(raw ? { headers: { 'X-Custom': headerValue } } : {}),
            },
            { action: raw ? 'SendRawEmail' : 'auto' },
          );
        } catch (err) {
          expect(err).toBeInstanceOf(SesError);
          expect((err as SesError).code).toBe('EMESSAGE');
          return;
        }
        const { mapped } = result;
        let body: string;
        try {
          body = encodeQueryBody(mapped.action, '2010-12-01', mapped.params).toString('latin1');
        } catch (err) {
          expect((err as SesError).code).toBe('EMESSAGE');
          return;
        }
        const decoded = new URLSearchParams(body);
        expect(decoded.getAll('Action')).toEqual([mapped.action]);
        expect(body).not.toMatch(/[\r\n\0 +]/);
        if (mapped.action === 'SendEmail') {
          expect(decoded.get('Message.Subject.Data')).toBe(subject);
          expect(decoded.get('Message.Body.Text.Data')).toBe(text);
          expect(decoded.get('Source')).not.toMatch(/[\r\n\0]/);
        } else {
          const headers = headerBlock(rawMime(mapped));
          for (const h of headers) expect(h).toMatch(/^[A-Za-z0-9-]+: /);
          expect(headers.some((h) => /^x-injected:/i.test(h))).toBe(false);
          expect(headers.some((h) => /^bcc:/i.test(h))).toBe(false);
          for (const h of headers) expect(h).not.toMatch(/[\r\n\0]/);
        }
      }),
      { numRuns: 150 },
    );
  });
});
