/**
 * The Nodemailer transport contract: `name`, `version`, `send`, `verify`, `getSendQuota`, `isIdle`,
 * `close` and the `idle` event. It bridges Nodemailer's callbacks to the promise-based parts below it
 * and knows nothing of SigV4, XML or HTTP.
 */
import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import { SES_API_VERSION, SES_SIGNING_NAME, messageIdDomain } from './constants.js';
import { QueryClient } from './wire/client.js';
import { createCredentialsProvider } from './credentials-provider.js';
import { profileRegion } from './credentials/shared-files.js';
import { resolveEndpoint } from './endpoint/resolve-endpoint.js';
import { resolveRegion } from './endpoint/resolve-region.js';
import { LocalCodes, SesError, configError } from './errors.js';
import { MAX_CONNECT_TIMEOUT_MS, createDispatcher } from './wire/http.js';
import { createLogger, type Logger } from './logger.js';
import { mapMessage, normalizeSesOptions, type MailLike, type MappedMessage, type NormalizedSesOptions } from './mapping/index.js';
import { mailData } from './mapping/mail.js';
import { checkOptions, type SendAction, type SesQueryTransportOptions } from './options.js';
import type { RateLimiter } from './flow/rate-limiter.js';
import { SendQueue } from './flow/send-queue.js';
import { SesTemplates, TemplateSending, isTemplated, mapTemplatedMessage } from './templates/index.js';
import { TokenBucketLimiter } from './flow/token-bucket.js';
import { PACKAGE_VERSION } from './version.js';

/** What `sendMail` resolves with. */
export interface SesSentMessageInfo {
  /** Nodemailer's envelope: sender and every recipient (To, Cc and Bcc). */
  envelope: { from: string | false; to: string[] };
  /** `<MessageId@region.amazonses.com>`, the Message-ID SES puts on the delivered message. */
  messageId: string;
  /** SES's MessageId. */
  response: string;
  /** SES's RequestId, when the answer carried one. */
  requestId?: string;
  /** Which SES action carried the message. */
  action: 'SendEmail' | 'SendRawEmail' | 'SendTemplatedEmail' | 'SendBulkTemplatedEmail';
  /** HTTP attempts it took. */
  attempts: number;
}

/** What `getSendQuota()` resolves with. */
export interface SendQuota {
  /** Messages allowed in 24 hours; -1 means unlimited. */
  max24HourSend: number;
  /** Messages per second SES accepts from this account in this region. */
  maxSendRate: number;
  /** Messages sent in the last 24 hours. */
  sentLast24Hours: number;
}

type Callback<T> = (err: Error | null, value?: T) => void;

/** Calls a user callback outside of any promise chain, so a throw in it surfaces once. */
function settle<T>(promise: Promise<T>, callback: Callback<T>): void {
  promise.then(
    (value) => setImmediate(callback, null, value),
    (err: Error) => setImmediate(callback, err),
  );
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

/** The transport-level `ses` option: a mistake there is a configuration error. */
function transportSesDefaults(ses: unknown): NormalizedSesOptions {
  try {
    return normalizeSesOptions(ses, 'transport');
  } catch (err) {
    throw configError((err as Error).message, err);
  }
}

function toNumber(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : NaN;
}

export class SesQueryTransport extends EventEmitter {
  /** Transport name, as Nodemailer logs it. */
  readonly name = 'SESQuery';
  /** This package's version. */
  readonly version = PACKAGE_VERSION;
  /** Tells Nodemailer (10.5+) that `sendMail({ signal })` cancels the request. */
  readonly supportsAbortSignal = true;
  /** The region messages are signed for. */
  readonly region: string;
  /** The SES endpoint requests go to. */
  readonly endpoint: URL;

  private readonly credentials: ReturnType<typeof createCredentialsProvider>;
  private readonly action: SendAction;
  private readonly defaults: NormalizedSesOptions | undefined;
  private readonly client: QueryClient;
  private readonly queue: SendQueue;
  private readonly logger: Logger;
  private readonly sendTimeout: number | undefined;
  private readonly ownDispatcher: Dispatcher | undefined;
  private readonly limiter: RateLimiter | undefined;
  /** The limiter this transport made from `sendingRate` (a `rateLimiter` passed in is the caller's to close). */
  private readonly ownLimiter: RateLimiter | undefined;
  private readonly templateSending: TemplateSending;
  private templateClient: SesTemplates | undefined;
  private closing: Promise<void> | undefined;

  constructor(options?: SesQueryTransportOptions) {
    super();
    const o = checkOptions(options);
    const env = process.env;
    const region = resolveRegion({ region: o.region, profileRegion: () => profileRegion(env, o.profile), env });
    if (!region) {
      throw configError('No AWS region: pass the "region" option or set AWS_REGION');
    }
    this.region = region;
    this.endpoint = resolveEndpoint({
      endpoint: o.endpoint,
      region,
      useFipsEndpoint: o.useFipsEndpoint,
      useDualstackEndpoint: o.useDualstackEndpoint,
      env,
    }).url;
    this.action = o.action ?? 'auto';
    this.defaults = o.ses === undefined ? undefined : transportSesDefaults(o.ses);
    this.sendTimeout = o.sendTimeout;
    this.logger = createLogger(o.logger, o.component ?? 'ses-query');
    const timeout = o.timeout ?? 30_000;

    const maxConnections = o.maxConnections ?? 16;
    let dispatcher = o.dispatcher;
    if (!dispatcher) {
      dispatcher = this.ownDispatcher = createDispatcher({
        connections: maxConnections === Infinity ? undefined : maxConnections,
        env,
        connectTimeout: Math.min(timeout, MAX_CONNECT_TIMEOUT_MS),
      });
    }
    const credentials = (this.credentials = createCredentialsProvider(o.credentials, {
      env,
      profile: o.profile,
      region,
      logger: this.logger,
      dispatcher,
    }));
    this.client = new QueryClient({
      endpoint: this.endpoint,
      region,
      service: SES_SIGNING_NAME,
      apiVersion: SES_API_VERSION,
      credentials,
      dispatcher,
      timeout,
      maxAttempts: o.maxAttempts,
      retryAmbiguous: o.retryAmbiguous,
      logger: this.logger,
      debug: o.debug === true,
      onThrottle: () => this.limiter?.throttled?.(),
    });

    this.ownLimiter = o.sendingRate === undefined ? undefined : new TokenBucketLimiter({ rate: o.sendingRate });
    this.limiter = o.rateLimiter ?? this.ownLimiter;
    this.limiter?.attach?.({ getSendQuota: () => this.getSendQuota(), logger: this.logger });
    this.queue = new SendQueue({
      maxConnections,
      rateLimiter: this.limiter,
      onIdle: () => this.emit('idle'),
    });
    this.templateSending = new TemplateSending({
      client: this.client,
      region,
      batching: o.templateBatching ?? {},
      run: (task, signal, cost) => this.queue.run(task, signal, Promise.resolve(cost)),
      logger: this.logger,
    });
    // Like Nodemailer's pooled transports: say once that messages can go, for "send while idle" loops.
    setImmediate(() => {
      if (this.isIdle()) this.emit('idle');
    });
  }

  /** Nodemailer calls this for every message. The callback runs once, outside any promise chain. */
  send(mail: MailLike, callback: Callback<SesSentMessageInfo>): void {
    settle(this.deliver(mail), callback);
  }

  /** Makes a signed `GetSendQuota` call (sends no mail): resolves `true`, or rejects with the SES error. */
  verify(): Promise<true>;
  verify(callback: Callback<true>): void;
  verify(callback?: Callback<true>): Promise<true> | void {
    const result = this.getSendQuota().then(() => true as const);
    if (!callback) return result;
    settle(result, callback);
  }

  /** Reads the account's sending quota for this region. */
  async getSendQuota(): Promise<SendQuota> {
    const { result } = await this.client.call('GetSendQuota', {});
    const quota = {
      max24HourSend: toNumber(result.Max24HourSend),
      maxSendRate: toNumber(result.MaxSendRate),
      sentLast24Hours: toNumber(result.SentLast24Hours),
    };
    if (Number.isNaN(quota.max24HourSend) || Number.isNaN(quota.maxSendRate) || Number.isNaN(quota.sentLast24Hours)) {
      throw new SesError('GetSendQuota answer lacks Max24HourSend, MaxSendRate or SentLast24Hours', {
        code: LocalCodes.PROTOCOL,
        retryable: false,
      });
    }
    return quota;
  }

  /** SES's stored templates (list, get, put, delete, test-render), through this transport's client. */
  get templates(): SesTemplates {
    return (this.templateClient ??= new SesTemplates(this.client));
  }

  /** Where the credentials came from ('environment', 'shared files (profile x)', …) once they were loaded; never the keys. */
  get credentialSource(): string | undefined {
    return this.credentials.source;
  }

  /** True when a new message would go out at once. */
  isIdle(): boolean {
    return !this.closing && this.queue.isIdle();
  }

  /**
   * Stops taking new messages, lets queued and in-flight ones finish, then releases sockets and
   * timers so the process can exit. Resolves when done; safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.templateSending.flush();
    await this.queue.close();
    await this.ownLimiter?.close?.();
    if (this.ownDispatcher) await this.ownDispatcher.close();
    this.logger.debug({ tnx: 'close' }, 'Transport closed');
  }

  private async deliver(mail: MailLike): Promise<SesSentMessageInfo> {
    if (this.closing) {
      throw new SesError('The transport is closed; no new messages are taken', { code: LocalCodes.CLOSED, retryable: false, attempts: 0 });
    }
    const userSignal = isAbortSignal(mailData(mail).signal) ? (mailData(mail).signal as AbortSignal) : undefined;
    const deadline = this.sendTimeout === undefined ? undefined : Date.now() + this.sendTimeout;
    let signal = userSignal;
    let timer: NodeJS.Timeout | undefined;
    if (this.sendTimeout !== undefined) {
      const controller = new AbortController();
      const timeout = this.sendTimeout;
      timer = setTimeout(() => {
        controller.abort(
          new SesError(`Message not sent within sendTimeout (${timeout} ms)`, { code: LocalCodes.TIMEOUT, retryable: true }),
        );
      }, timeout);
      signal = userSignal ? AbortSignal.any([userSignal, controller.signal]) : controller.signal;
    }
    // Mapped and checked at once, while the message keeps its place in the queue: what SES would
    // refuse is refused now, not after waiting for a rate slot. The limiter is charged per recipient.
    try {
      if (isTemplated(mailData(mail).ses))
        return await this.templateSending.send(mapTemplatedMessage(mail, this.defaults), signal, deadline);
      const mapped = mapMessage(mail, { action: this.action, defaults: this.defaults });
      mapped.catch(() => {}); // observed through the queue
      return await this.queue.run(
        (taskSignal: AbortSignal | undefined) => mapped.then((m) => this.sendMapped(m, taskSignal, deadline)),
        signal,
        mapped.then((m) => m.envelope.to.length),
      );
    } catch (err) {
      throw this.timeoutInstead(err, signal);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** When the sendTimeout fired, report ETIMEDOUT rather than a generic abort. */
  private timeoutInstead(err: unknown, signal: AbortSignal | undefined): unknown {
    const reason: unknown = signal?.aborted ? signal.reason : undefined;
    if (reason instanceof SesError && reason.code === LocalCodes.TIMEOUT && err instanceof SesError && err.code === LocalCodes.ABORT) {
      if (err.attempts !== undefined) reason.attempts = err.attempts;
      return reason;
    }
    return err;
  }

  private async sendMapped(
    mapped: MappedMessage,
    signal: AbortSignal | undefined,
    deadline: number | undefined,
  ): Promise<SesSentMessageInfo> {
    this.logger.debug(
      { tnx: 'send', action: mapped.action },
      'Sending message with %s to %s recipients',
      mapped.action,
      mapped.envelope.to.length,
    );
    const { result, requestId, attempts } = await this.client.call(mapped.action, mapped.params, { signal, deadline });
    const id = result.MessageId;
    if (typeof id !== 'string' || !id) {
      throw new SesError(`${mapped.action} answer has no MessageId`, { code: LocalCodes.PROTOCOL, retryable: false, requestId, attempts });
    }
    this.logger.info({ tnx: 'send', messageId: id, requestId, action: mapped.action, attempts }, 'Message %s accepted by SES', id);
    const info: SesSentMessageInfo = {
      envelope: mapped.envelope,
      messageId: `<${id}@${messageIdDomain(this.region)}>`,
      response: id,
      action: mapped.action,
      attempts,
    };
    if (requestId !== undefined) info.requestId = requestId;
    return info;
  }
}
