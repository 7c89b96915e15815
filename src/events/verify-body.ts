/**
 * Verification alone, for a message saved earlier (the CLI's `event verify`, a dead-letter queue):
 * shape, topic, certificate host, signature, and the SES payload read when there is one. No
 * redelivery check, no subscription GET, no `onEvent`; the age is checked only when `maxAgeMs` is given.
 */
import { createDispatcher, type Dispatcher } from '../wire/http.js';
import { CertificateCache } from './certificates.js';
import { SnsCodes, snsError } from './errors.js';
import { parseSesEvent, type SesEvent } from './ses-event.js';
import { parseSnsBody, type SnsMessage } from './sns-message.js';
import { defaultIsSnsUrl, parseTopicArn, type IsSnsUrl } from './sns-urls.js';
import { verifySnsMessage } from './verifier.js';

export interface VerifySnsBodyOptions {
  topicArns: readonly string[] | ((topicArn: string) => boolean);
  /** Refuse messages older than this, ms. Default: no age check. */
  maxAgeMs?: number;
  isSnsUrl?: IsSnsUrl;
  /** Used for the certificate GET (you close it). Default: a short-lived one of ours, closed after. */
  dispatcher?: Dispatcher;
}

export interface VerifiedSnsBody {
  message: SnsMessage;
  /** The SES event, for a Notification that carries one. */
  event?: SesEvent;
}

export async function verifySnsBody(body: string | Uint8Array | object, options: VerifySnsBodyOptions): Promise<VerifiedSnsBody> {
  const message = parseSnsBody(body) as SnsMessage;
  parseTopicArn(message.TopicArn);
  const topics = options.topicArns;
  const allowed = typeof topics === 'function' ? topics(message.TopicArn) === true : topics.includes(message.TopicArn);
  if (!allowed) throw snsError(SnsCodes.TOPIC, `Topic ${message.TopicArn} is not one of topicArns; refused`);
  if (options.maxAgeMs !== undefined) {
    const at = Date.parse(message.Timestamp);
    if (!(Date.now() - at <= options.maxAgeMs))
      throw snsError(SnsCodes.EXPIRED, `The SNS message is older than ${options.maxAgeMs} ms (or its Timestamp is not a date); refused`);
  }
  const dispatcher = options.dispatcher ?? createDispatcher();
  try {
    await verifySnsMessage(message, { isSnsUrl: options.isSnsUrl ?? defaultIsSnsUrl, certificates: new CertificateCache({ dispatcher }) });
  } finally {
    if (!options.dispatcher) await dispatcher.close();
  }
  if (message.Type !== 'Notification') return { message };
  let payload: unknown;
  try {
    payload = JSON.parse(message.Message);
  } catch {
    return { message };
  }
  const p = payload as { mail?: unknown } | null;
  return p && typeof p === 'object' && p.mail ? { message, event: parseSesEvent(payload) } : { message };
}
