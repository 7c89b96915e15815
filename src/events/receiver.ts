/**
 * `SesEventReceiver`: takes the body of one SNS HTTP(S) delivery and decides what it is. In order:
 * size and shape, the topic (only the user's), the age (no replays), the signature (certificate only
 * from the topic's SNS host), redelivery (same MessageId), then the message itself: a subscription to
 * confirm, an unsubscription to report, or an SES event for `onEvent`. Nothing from a message reaches
 * `onEvent` before all of these passed.
 */
import { SesError } from '../errors.js';
import { createDispatcher, type Dispatcher } from '../wire/http.js';
import { createLogger, type Logger, type LoggerOption } from '../logger.js';
import { CertificateCache } from './certificates.js';
import { SnsCodes, snsError } from './errors.js';
import { nodeHandler, fetchHandler, type NodeHandler, type FetchHandler } from './handlers.js';
import type { HandleBody, HandleResult } from './result.js';
import { MemorySeenStore, toSeenStore, type SeenOption, type SeenStore } from './seen.js';
import { parseSesEvent, type SesEvent } from './ses-event.js';
import { snsGet } from './sns-get.js';
import { parseSnsBody, type SnsMessage } from './sns-message.js';
import { checkSnsUrl, defaultIsSnsUrl, parseTopicArn, type IsSnsUrl } from './sns-urls.js';
import { verifySnsMessage } from './verifier.js';

export interface SesEventReceiverOptions {
  /** The SNS topics whose messages are accepted: a list of ARNs, or a predicate. Required. */
  topicArns: readonly string[] | ((topicArn: string) => boolean);
  /** Called once per verified, new SES event, before `handle` resolves. When it throws, SNS retries. */
  onEvent: (event: SesEvent) => void | Promise<void>;
  /** Confirm a `SubscriptionConfirmation` for an allowed topic by a GET to its SubscribeURL. Default true. */
  confirmSubscriptions?: boolean;
  /** Messages whose SNS Timestamp is older are refused (`ESNSEXPIRED`), ms. Default 1 hour. */
  maxAgeMs?: number;
  /**
   * Redelivery detection. Default: in memory (a bounded LRU, one process). A `SeenStore` (`seen` checks
   * and claims, `markSeen` after success, `forget` after failure; e.g. `RedisSeenStore` for a fleet),
   * or a bare `(snsMessageId) => boolean | Promise<boolean>` (true: already handled). A bare function is
   * never told that handling failed: let it only check, and record ids in `onEvent` once your work
   * succeeded. (Ids whose handling failed in this process are handled again whatever it answers; a
   * redelivery that reaches another process is not.)
   */
  seen?: SeenOption;
  /** Which certificate and SubscribeURL URLs may be fetched. Default: https on the topic's SNS host. */
  isSnsUrl?: IsSnsUrl;
  /** undici dispatcher for the certificate and SubscribeURL GETs (you close it). Default: a pool of ours. */
  dispatcher?: Dispatcher;
  /** Nodemailer-style logger (`true` for the console). */
  logger?: LoggerOption;
  /** Largest body accepted, bytes. Default 1 MiB (SNS messages are at most 256 KiB before escaping). */
  maxBodyBytes?: number;
  /** Accept SES payloads delivered raw (no SNS envelope, so no signature, topic or age check). Default false. */
  acceptUnsignedRawMessages?: boolean;
}

export type { HandleResult } from './result.js';

const FUTURE_SKEW_MS = 5 * 60_000;
const SUBSCRIBE_MAX_BYTES = 64 * 1024;

export class SesEventReceiver {
  readonly maxBodyBytes: number;
  private readonly allowTopic: (arn: string) => boolean;
  private readonly maxAgeMs: number;
  private readonly store: SeenStore;
  private readonly isSnsUrl: IsSnsUrl;
  private readonly dispatcher: Dispatcher;
  private readonly certificates: CertificateCache;
  /** MessageIds being handled by this receiver now. */
  private readonly inFlight = new Set<string>();
  /** @internal */
  readonly logger: Logger;

  constructor(private readonly options: SesEventReceiverOptions) {
    const config = (message: string) => new SesError(message, { code: 'ECONFIG', retryable: false });
    const topics = options?.topicArns;
    if (typeof topics === 'function') {
      this.allowTopic = (arn) => topics(arn) === true;
    } else if (Array.isArray(topics) && topics.length > 0) {
      for (const arn of topics as unknown[]) {
        try {
          if (typeof arn !== 'string') throw new TypeError('not a string');
          parseTopicArn(arn);
        } catch {
          throw config(`topicArns: ${JSON.stringify(arn)} is not an SNS topic ARN`);
        }
      }
      const set = new Set(topics);
      this.allowTopic = (arn) => set.has(arn);
    } else {
      throw config(
        'SesEventReceiver needs "topicArns": the SNS topic ARNs to accept (a list or a predicate); there is no accept-all default',
      );
    }
    if (typeof options.onEvent !== 'function') throw config('SesEventReceiver needs "onEvent"');
    this.maxAgeMs = options.maxAgeMs ?? 3_600_000;
    if (!(this.maxAgeMs > 0)) throw config('"maxAgeMs" must be a positive number');
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.store = options.seen
      ? toSeenStore(options.seen, this.maxAgeMs + FUTURE_SKEW_MS)
      : new MemorySeenStore(this.maxAgeMs + FUTURE_SKEW_MS);
    this.isSnsUrl = options.isSnsUrl ?? defaultIsSnsUrl;
    this.dispatcher = options.dispatcher ?? createDispatcher();
    this.certificates = new CertificateCache({ dispatcher: this.dispatcher });
    this.logger = createLogger(options.logger, 'ses-events');
  }

  /**
   * Handles the body of one SNS POST (the JSON text, its bytes, or the object a body parser made of
   * it). Resolves with what it was; rejects with a `SesError` (`ESNS…`, see src/events/errors.ts) for
   * a refused message or a redelivery still in flight, or with `onEvent`'s (or the seen store's) own
   * error. Always settles.
   */
  async handle(body: HandleBody): Promise<HandleResult> {
    try {
      return await this.handleBody(body);
    } catch (err) {
      const e = err as SesError;
      if (e?.code === SnsCodes.INFLIGHT) {
        this.logger.info({ tnx: 'sns', code: e.code }, '%s', e.message);
      } else if (typeof e?.code === 'string' && e.code.startsWith('ESNS')) {
        this.logger.warn({ tnx: 'sns', code: e.code }, 'SNS message refused: %s', e.message);
      } else {
        this.logger.error({ tnx: 'sns' }, 'Handling an SES event failed (SNS will retry): %s', (err as Error)?.message ?? String(err));
      }
      throw err;
    }
  }

  /** A `(req, res)` handler for node:http, Express, Koa (`ctx.req, ctx.res`), Fastify (`req.raw, reply.raw`). */
  nodeHandler(): NodeHandler {
    return nodeHandler(this);
  }

  /** A `(Request) => Promise<Response>` handler for Fetch API servers (Hono, Next.js, Bun, Deno, …). */
  fetchHandler(): FetchHandler {
    return fetchHandler(this);
  }

  private async handleBody(body: HandleBody): Promise<HandleResult> {
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : 0;
    if (size > this.maxBodyBytes) throw snsError(SnsCodes.MALFORMED, `The body is larger than ${this.maxBodyBytes} bytes`);
    const parsed = parseSnsBody(body, this.options.acceptUnsignedRawMessages === true);
    if ('raw' in parsed) {
      const event = parseSesEvent(parsed.raw);
      this.logger.warn({ tnx: 'sns', messageId: event.messageId }, 'Accepting an unsigned raw SES payload (acceptUnsignedRawMessages)');
      await this.options.onEvent(event);
      return { status: 'event', event };
    }
    const message = parsed;
    parseTopicArn(message.TopicArn);
    if (!this.allowTopic(message.TopicArn)) throw snsError(SnsCodes.TOPIC, `Topic ${message.TopicArn} is not one of topicArns; refused`);
    this.checkAge(message);
    await verifySnsMessage(message, { isSnsUrl: this.isSnsUrl, certificates: this.certificates });
    const id = message.MessageId;
    const inFlight = () =>
      snsError(
        SnsCodes.INFLIGHT,
        `SNS redelivered message ${id} while it is still being handled; answered retryable so that SNS delivers it again later`,
      );
    if (this.inFlight.has(id)) throw inFlight();
    this.inFlight.add(id);
    try {
      const state = await this.store.seen(id);
      if (state === 'pending') throw inFlight();
      if (state === true) {
        this.logger.info({ tnx: 'sns', snsMessageId: id }, 'SNS redelivered message %s; already handled', id);
        return { status: 'duplicate', snsMessageId: id };
      }
      let result: HandleResult;
      try {
        result = await this.dispatch(message);
      } catch (err) {
        // The handler's error is what the caller gets; a failure to give the claim back is only logged.
        try {
          await this.store.forget?.(id);
        } catch (forgetErr) {
          this.logger.error(
            { tnx: 'sns', snsMessageId: id },
            'The seen store could not forget message %s: %s',
            id,
            (forgetErr as Error)?.message ?? String(forgetErr),
          );
        }
        throw err;
      }
      try {
        await this.store.markSeen?.(id);
      } catch (markErr) {
        // Handled: answered as such. The store may let a redelivery be handled once more.
        this.logger.error(
          { tnx: 'sns', snsMessageId: id },
          'The seen store could not mark message %s handled: %s',
          id,
          (markErr as Error)?.message ?? String(markErr),
        );
      }
      return result;
    } finally {
      this.inFlight.delete(id);
    }
  }

  private checkAge(message: SnsMessage): void {
    const at = Date.parse(message.Timestamp);
    if (!Number.isFinite(at)) throw snsError(SnsCodes.MALFORMED, 'The SNS Timestamp is not a date');
    const age = Date.now() - at;
    if (age > this.maxAgeMs)
      throw snsError(
        SnsCodes.EXPIRED,
        `The SNS message is ${Math.round(age / 1000)} s old, older than maxAgeMs (${this.maxAgeMs} ms); refused as a replay`,
      );
    if (-age > FUTURE_SKEW_MS) throw snsError(SnsCodes.EXPIRED, 'The SNS Timestamp is in the future; refused');
  }

  private async dispatch(message: SnsMessage): Promise<HandleResult> {
    const topicArn = message.TopicArn;
    if (message.Type === 'SubscriptionConfirmation') {
      const url = checkSnsUrl(message.SubscribeURL!, { topicArn, purpose: 'subscribe' }, this.isSnsUrl);
      if (this.options.confirmSubscriptions === false) {
        this.logger.info({ tnx: 'sns', topicArn }, 'Subscription to %s awaits confirmation (confirmSubscriptions: false)', topicArn);
        return { status: 'subscribed', topicArn, confirmed: false, subscribeUrl: url.href };
      }
      await snsGet(
        this.dispatcher,
        url,
        { maxBytes: SUBSCRIBE_MAX_BYTES, timeoutMs: 10_000 },
        SnsCodes.SUBSCRIBE,
        'subscription confirmation',
      );
      this.logger.info({ tnx: 'sns', topicArn }, 'Confirmed the subscription to %s', topicArn);
      return { status: 'subscribed', topicArn, confirmed: true, subscribeUrl: url.href };
    }
    if (message.Type === 'UnsubscribeConfirmation') {
      this.logger.warn({ tnx: 'sns', topicArn }, 'This endpoint was unsubscribed from %s', topicArn);
      return { status: 'unsubscribed', topicArn };
    }
    let payload: unknown;
    try {
      payload = JSON.parse(message.Message);
    } catch {
      payload = undefined;
    }
    const p = payload as { mail?: unknown; eventType?: unknown; notificationType?: unknown } | undefined;
    if (!p || typeof p !== 'object' || !p.mail || (typeof p.eventType !== 'string' && typeof p.notificationType !== 'string')) {
      const reason = 'the notification is not an SES event';
      this.logger.info(
        { tnx: 'sns', snsMessageId: message.MessageId },
        'Ignored SNS message %s: %s (%s)',
        message.MessageId,
        reason,
        message.Message.slice(0, 100),
      );
      return { status: 'ignored', snsMessageId: message.MessageId, reason };
    }
    const event = parseSesEvent(payload);
    event.sns = {
      messageId: message.MessageId,
      topicArn,
      timestamp: message.Timestamp,
      ...(message.Subject !== undefined && { subject: message.Subject }),
    };
    this.logger.debug(
      { tnx: 'sns', messageId: event.messageId, type: event.type },
      'SES %s event for message %s',
      event.type,
      event.messageId,
    );
    await this.options.onEvent(event);
    return { status: 'event', event };
  }
}
