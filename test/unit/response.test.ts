import { describe, expect, it } from 'vitest';
import { readQueryResponse } from '../../src/wire/response.js';
import { SesError } from '../../src/errors.js';

const NS = 'xmlns="http://ses.amazonaws.com/doc/2010-12-01/"';
const answer = (statusCode: number, body: string, headers: Record<string, string> = {}) => ({ statusCode, body, headers });

async function errorOf(fn: () => Promise<unknown>): Promise<SesError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SesError);
    return err as SesError;
  }
  throw new Error('expected a SesError');
}

describe('readQueryResponse', () => {
  it('reads a success answer; an all-digit MessageId stays a string', async () => {
    const body = `<?xml version="1.0"?><SendRawEmailResponse ${NS}><SendRawEmailResult><MessageId>0102018f00000000</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></SendRawEmailResponse>`;
    expect(await readQueryResponse('SendRawEmail', answer(200, body))).toEqual({
      result: { MessageId: '0102018f00000000' },
      requestId: 'req-1',
    });
    const digits = `<SendEmailResponse><SendEmailResult><MessageId>000123</MessageId></SendEmailResult></SendEmailResponse>`;
    expect((await readQueryResponse('SendEmail', answer(200, digits))).result.MessageId).toBe('000123');
  });

  it('reads pretty-printed answers, answers without RequestId and escaped ids the same way', async () => {
    const pretty = `<?xml version="1.0" encoding="UTF-8"?>\n<SendEmailResponse ${NS}>\n  <SendEmailResult>\n    <MessageId>abc-1</MessageId>\n  </SendEmailResult>\n  <ResponseMetadata>\n    <RequestId>r-1</RequestId>\n  </ResponseMetadata>\n</SendEmailResponse>\n`;
    expect(await readQueryResponse('SendEmail', answer(200, pretty))).toEqual({ result: { MessageId: 'abc-1' }, requestId: 'r-1' });
    const bare = `<SendEmailResponse><SendEmailResult><MessageId>abc-2</MessageId></SendEmailResult></SendEmailResponse>`;
    expect(await readQueryResponse('SendEmail', answer(200, bare))).toEqual({ result: { MessageId: 'abc-2' } });
    const escaped = `<SendEmailResponse><SendEmailResult><MessageId>a&amp;b</MessageId></SendEmailResult></SendEmailResponse>`;
    expect((await readQueryResponse('SendEmail', answer(200, escaped))).result.MessageId).toBe('a&b');
    const otherAction = `<SendRawEmailResponse><SendRawEmailResult><MessageId>x</MessageId></SendRawEmailResult></SendRawEmailResponse>`;
    await expect(readQueryResponse('SendEmail', answer(200, otherAction))).rejects.toThrow(SesError);
  });

  it('reads GetSendQuota values as strings for the caller to convert', async () => {
    const body = `<GetSendQuotaResponse ${NS}><GetSendQuotaResult><Max24HourSend>200.0</Max24HourSend><MaxSendRate>1.0</MaxSendRate><SentLast24Hours>3.0</SentLast24Hours></GetSendQuotaResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetSendQuotaResponse>`;
    expect((await readQueryResponse('GetSendQuota', answer(200, body))).result).toEqual({
      Max24HourSend: '200.0',
      MaxSendRate: '1.0',
      SentLast24Hours: '3.0',
    });
  });

  it('turns an ErrorResponse into a SesError with SES code, type, status and the sibling RequestId', async () => {
    const body = `<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error><RequestId>req-2</RequestId></ErrorResponse>`;
    const err = await errorOf(() => readQueryResponse('SendEmail', answer(400, body)));
    expect(err).toMatchObject({
      code: 'MessageRejected',
      type: 'Sender',
      statusCode: 400,
      requestId: 'req-2',
      retryable: false,
      message: 'Email address is not verified.',
    });
  });

  it.each([
    ['Throttling', 'Maximum sending rate exceeded.', true],
    ['Throttling', 'Daily message quota exceeded.', false],
    ['ServiceUnavailable', 'x', true],
    ['InternalFailure', 'x', true],
    // A signature refused for its time is retryable only once the client corrected its clock (client.ts).
    ['SignatureDoesNotMatch', 'Signature expired: 20260101T000000Z is now earlier than …', false],
    ['SignatureDoesNotMatch', 'The request signature we calculated does not match', false],
    ['AccessDenied', 'x', false],
  ])('%s "%s" → retryable %s', async (code, message, retryable) => {
    const body = `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
    expect((await errorOf(() => readQueryResponse('SendEmail', answer(400, body)))).retryable).toBe(retryable);
  });

  it('reads the JSON errors aws-ses-v2-local sends', async () => {
    const err = await errorOf(() =>
      readQueryResponse('SendEmail', answer(400, JSON.stringify({ message: 'Bad Request Exception', detail: 'Schema validation failed' }))),
    );
    expect(err.code).toBe('EPROTOCOL');
    expect(err.message).toContain('Schema validation failed');
    const typed = await errorOf(() =>
      readQueryResponse('SendEmail', answer(400, JSON.stringify({ __type: 'com.amazonaws#MessageRejected', message: 'no' }))),
    );
    expect(typed.code).toBe('MessageRejected');
  });

  it('makes a retryable EPROTOCOL of a 502 HTML page from a proxy', async () => {
    const err = await errorOf(() => readQueryResponse('SendEmail', answer(502, '<html><body><h1>502 Bad Gateway</h1></body></html>')));
    expect(err).toMatchObject({ code: 'EPROTOCOL', statusCode: 502, retryable: true });
  });

  it.each([
    ['garbage', 'not xml at all'],
    ['truncated XML', `<SendEmailResponse ${NS}><SendEmailResult><MessageId>abc`],
    ['the wrong document', '<SomethingElse/>'],
    ['an empty body', ''],
  ])('makes a non-retryable EPROTOCOL of a 200 with %s', async (_label, body) => {
    expect(await errorOf(() => readQueryResponse('SendEmail', answer(200, body)))).toMatchObject({
      code: 'EPROTOCOL',
      statusCode: 200,
      retryable: false,
    });
  });

  it('refuses a DOCTYPE (entity expansion) instead of expanding it', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><SendEmailResponse><SendEmailResult><MessageId>&lol2;</MessageId></SendEmailResult></SendEmailResponse>`;
    expect((await errorOf(() => readQueryResponse('SendEmail', answer(200, bomb)))).code).toBe('EPROTOCOL');
  });
});
