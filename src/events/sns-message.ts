/**
 * The SNS HTTP(S) message envelope: reading it from a request body, and the canonical string its
 * signature covers, as AWS documents it ("Verifying the signatures of Amazon SNS messages",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html): for each signed
 * field, in this order, its name, a newline, its value, a newline. Notification: Message, MessageId,
 * Subject (only when present), Timestamp, TopicArn, Type. SubscriptionConfirmation and
 * UnsubscribeConfirmation: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
 * (aws/aws-js-sns-message-validator index.js signs the same keys in the same order.)
 */
import { SnsCodes, snsError } from './errors.js';

export type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

export interface SnsMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1' | '2';
  Signature: string;
  SigningCertURL: string;
  /** SubscriptionConfirmation and UnsubscribeConfirmation only. */
  SubscribeURL?: string;
  Token?: string;
  UnsubscribeURL?: string;
}

const TYPES = new Set<string>(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']);

function text(body: string | Uint8Array): string {
  if (typeof body === 'string') return body;
  return new TextDecoder('utf-8', { fatal: true }).decode(body);
}

/** True when a parsed body looks like an SES payload delivered without the SNS envelope. */
function isRawSesPayload(value: Record<string, unknown>): boolean {
  return !('Type' in value) && !('Signature' in value) && ('notificationType' in value || 'eventType' in value || 'mail' in value);
}

/**
 * Parses and checks the envelope's shape. Refuses a raw SES payload with `ESNSRAW` (unless
 * `allowRaw`, when it is returned as `{ raw }`), anything else malformed with `ESNSMALFORMED`.
 */
export function parseSnsBody(body: string | Uint8Array | object, allowRaw = false): SnsMessage | { raw: Record<string, unknown> } {
  let value: unknown;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      value = JSON.parse(text(body));
    } catch (err) {
      throw snsError(SnsCodes.MALFORMED, 'The body is not JSON: not an SNS message', err);
    }
  } else {
    value = body;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw snsError(SnsCodes.MALFORMED, 'The body is not a JSON object: not an SNS message');
  const v = value as Record<string, unknown>;
  if (isRawSesPayload(v)) {
    if (allowRaw) return { raw: v };
    throw snsError(
      SnsCodes.RAW,
      'The body is an SES payload without the SNS envelope: the subscription has raw message delivery on, so the message carries no SNS signature and cannot be verified. Turn raw message delivery off for this subscription (or set acceptUnsignedRawMessages: true to accept unsigned messages)',
    );
  }
  if (typeof v.Type !== 'string' || !TYPES.has(v.Type))
    throw snsError(SnsCodes.MALFORMED, `Unknown SNS message Type ${JSON.stringify(v.Type)}`);
  // Lambda's SNS events spell the URL fields ...Url; HTTP deliveries ...URL.
  const certUrl = v.SigningCertURL ?? v.SigningCertUrl;
  const subscribeUrl = v.SubscribeURL ?? v.SubscribeUrl;
  const fields: Array<[string, unknown]> = [
    ['MessageId', v.MessageId],
    ['TopicArn', v.TopicArn],
    ['Message', v.Message],
    ['Timestamp', v.Timestamp],
    ['SignatureVersion', v.SignatureVersion],
    ['Signature', v.Signature],
    ['SigningCertURL', certUrl],
  ];
  if (v.Type !== 'Notification') fields.push(['SubscribeURL', subscribeUrl], ['Token', v.Token]);
  for (const [name, field] of fields) {
    if (typeof field !== 'string' || (field === '' && name !== 'Message'))
      throw snsError(SnsCodes.MALFORMED, `The SNS message has no ${name}`);
  }
  if (v.Subject !== undefined && v.Subject !== null && typeof v.Subject !== 'string')
    throw snsError(SnsCodes.MALFORMED, 'The SNS message Subject is not a string');
  if (v.SignatureVersion !== '1' && v.SignatureVersion !== '2') {
    throw snsError(SnsCodes.SIGNATURE, `Unsupported SNS SignatureVersion ${JSON.stringify(v.SignatureVersion)} (1 and 2 are known)`);
  }
  const message: SnsMessage = {
    Type: v.Type as SnsMessageType,
    MessageId: v.MessageId as string,
    TopicArn: v.TopicArn as string,
    Message: v.Message as string,
    Timestamp: v.Timestamp as string,
    SignatureVersion: v.SignatureVersion,
    Signature: v.Signature as string,
    SigningCertURL: certUrl as string,
  };
  if (typeof v.Subject === 'string') message.Subject = v.Subject;
  if (v.Type !== 'Notification') {
    message.SubscribeURL = subscribeUrl as string;
    message.Token = v.Token as string;
  }
  const unsubscribe = v.UnsubscribeURL ?? v.UnsubscribeUrl;
  if (typeof unsubscribe === 'string') message.UnsubscribeURL = unsubscribe;
  return message;
}

/** The string SNS signed for this message (each `name\nvalue\n`, in the documented order). */
export function canonicalString(m: SnsMessage): string {
  const pairs: Array<[string, string | undefined]> =
    m.Type === 'Notification'
      ? [
          ['Message', m.Message],
          ['MessageId', m.MessageId],
          ['Subject', m.Subject],
          ['Timestamp', m.Timestamp],
          ['TopicArn', m.TopicArn],
          ['Type', m.Type],
        ]
      : [
          ['Message', m.Message],
          ['MessageId', m.MessageId],
          ['SubscribeURL', m.SubscribeURL],
          ['Timestamp', m.Timestamp],
          ['Token', m.Token],
          ['TopicArn', m.TopicArn],
          ['Type', m.Type],
        ];
  let out = '';
  for (const [name, value] of pairs) if (value !== undefined) out += `${name}\n${value}\n`;
  return out;
}
