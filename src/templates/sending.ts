/**
 * How the transport sends templated messages: each as its own `SendTemplatedEmail`, or, with
 * batching on, grouped by the {@link Batcher} into `SendBulkTemplatedEmail` requests (a group of one
 * still goes as `SendTemplatedEmail`). Every request goes through the transport's queue (`run`),
 * charged with its recipients, SES's unit for the sending rate.
 *
 * Retries: the client retries a request only when the whole request failed, as for any send. A bulk
 * request is retried only after a clear refusal (throttling, a 4xx, a connection that never carried
 * it), never after a failure SES may have acted on (a 5xx, a reset after sending, a timeout: it would
 * resend up to 50 destinations SES may have accepted), whatever `retryAmbiguous` says. Per-destination failures in a
 * bulk answer are reported to their own `sendMail`, never resent here: resending them alone is the
 * caller's choice (`err.retryable` says when it could succeed).
 */
import { messageIdDomain } from '../constants.js';
import { LocalCodes, SesError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { QueryParams } from '../wire/query.js';
import { Batcher, type Batch, type BatchResult } from './batcher.js';
import { MAX_BULK_DESTINATIONS, bulkParams, readBulkAnswer } from './bulk-request.js';
import type { TemplatedMessage } from './templated-message.js';

/** Sum of per-destination template data in one bulk request (SES's 10 MB request limit, with room for the rest). */
const MAX_BULK_DATA_BYTES = 9 * 1024 * 1024;

export interface TemplateBatchingOptions {
  /** Longest a message waits for others to share its request. Default {@link DEFAULT_MAX_WAIT_MS}. */
  maxWaitMs?: number;
  /** Destinations per bulk request, 2 to 50. Default 50. */
  maxDestinations?: number;
}

export const DEFAULT_MAX_WAIT_MS = 5;

/** What a templated `sendMail` resolves with (the transport's info shape). */
export interface TemplatedInfo {
  envelope: { from: string | false; to: string[] };
  messageId: string;
  response: string;
  requestId?: string;
  action: 'SendTemplatedEmail' | 'SendBulkTemplatedEmail';
  attempts: number;
}

interface CallResult {
  result: Record<string, unknown>;
  requestId?: string;
  attempts: number;
}

export interface TemplateSendingOptions {
  /** The transport's QueryClient (or anything with its `call`). */
  client: {
    call(
      action: string,
      params: QueryParams,
      options?: { signal?: AbortSignal; deadline?: number; noAmbiguousRetry?: boolean },
    ): Promise<CallResult>;
  };
  region: string;
  /** `false`: one request per message. */
  batching: false | TemplateBatchingOptions;
  /** The transport's queue: runs `task` in turn, after the rate limiter granted `cost` recipients. */
  run<T>(task: (signal: AbortSignal | undefined) => Promise<T>, signal: AbortSignal | undefined, cost: number): Promise<T>;
  logger?: Logger;
}

/** IAM refusals: the credentials may send SendTemplatedEmail but not SendBulkTemplatedEmail. */
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException']);

export class TemplateSending {
  private readonly batcher: Batcher<TemplatedMessage, TemplatedInfo> | undefined;
  /** Set once SES refused SendBulkTemplatedEmail for these credentials: batching stops. */
  private bulkDenied = false;

  constructor(private readonly options: TemplateSendingOptions) {
    const b = options.batching;
    if (b !== false) {
      this.batcher = new Batcher<TemplatedMessage, TemplatedInfo>({
        maxWaitMs: b.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
        maxDestinations: b.maxDestinations ?? MAX_BULK_DESTINATIONS,
        maxBytes: MAX_BULK_DATA_BYTES,
        send: (batch) => this.sendBatch(batch),
      });
    }
  }

  /** Messages waiting for company. */
  get waiting(): number {
    return this.batcher?.waiting ?? 0;
  }

  /** Sends one mapped templated message; resolves with its own info or rejects with its own error. */
  send(message: TemplatedMessage, signal: AbortSignal | undefined, deadline: number | undefined): Promise<TemplatedInfo> {
    if (!this.batcher || this.bulkDenied) {
      return this.options.run((taskSignal) => this.sendOne(message, taskSignal, deadline), signal, message.recipients);
    }
    return this.batcher.add({
      message,
      key: message.bulkKey,
      bytes: Buffer.byteLength(message.templateData),
      recipients: message.recipients,
      signal,
      deadline,
    });
  }

  /** Hands every waiting group to the queue now (before the transport closes its queue). */
  flush(): void {
    this.batcher?.flush();
  }

  private sendBatch(batch: Batch<TemplatedMessage>): Promise<Array<BatchResult<TemplatedInfo>>> {
    return this.options.run(
      async (taskSignal) => {
        const messages = batch.start();
        if (messages.length === 1) return [{ value: await this.sendOne(messages[0]!, taskSignal, batch.deadline) }];
        try {
          return await this.sendBulk(messages, taskSignal, batch.deadline);
        } catch (err) {
          if (!(err instanceof SesError) || !ACCESS_DENIED.has(err.code)) throw err;
          // SES accepted nothing of a refused request, so sending each message alone duplicates nothing.
          this.bulkDenied = true;
          this.options.logger?.warn(
            { tnx: 'send', code: err.code },
            'SES refused SendBulkTemplatedEmail (%s); sending templated messages one request each from now on. Allow ses:SendBulkTemplatedEmail to batch them',
            err.code,
          );
          const results: Array<BatchResult<TemplatedInfo>> = [];
          for (const m of messages)
            results.push(
              await this.sendOne(m, taskSignal, batch.deadline).then(
                (value) => ({ value }),
                (error: unknown) => ({ error }),
              ),
            );
          return results;
        }
      },
      batch.signal,
      batch.recipients,
    );
  }

  private info(
    message: TemplatedMessage,
    id: string,
    action: TemplatedInfo['action'],
    requestId: string | undefined,
    attempts: number,
  ): TemplatedInfo {
    const info: TemplatedInfo = {
      envelope: message.envelope,
      messageId: `<${id}@${messageIdDomain(this.options.region)}>`,
      response: id,
      action,
      attempts,
    };
    if (requestId !== undefined) info.requestId = requestId;
    return info;
  }

  private async sendOne(message: TemplatedMessage, signal: AbortSignal | undefined, deadline: number | undefined): Promise<TemplatedInfo> {
    const { result, requestId, attempts } = await this.options.client.call('SendTemplatedEmail', message.params, { signal, deadline });
    const id = result.MessageId;
    if (typeof id !== 'string' || !id) {
      throw new SesError('SendTemplatedEmail answer has no MessageId', {
        code: LocalCodes.PROTOCOL,
        retryable: false,
        requestId,
        attempts,
      });
    }
    this.options.logger?.info(
      { tnx: 'send', messageId: id, requestId, action: 'SendTemplatedEmail', attempts },
      'Message %s accepted by SES',
      id,
    );
    return this.info(message, id, 'SendTemplatedEmail', requestId, attempts);
  }

  private async sendBulk(
    messages: TemplatedMessage[],
    signal: AbortSignal | undefined,
    deadline: number | undefined,
  ): Promise<Array<BatchResult<TemplatedInfo>>> {
    const { result, requestId, attempts } = await this.options.client.call('SendBulkTemplatedEmail', bulkParams(messages), {
      signal,
      deadline,
      noAmbiguousRetry: true,
    });
    const outcomes = readBulkAnswer(result, messages.length, { requestId, attempts });
    let accepted = 0;
    const results = outcomes.map((outcome, i): BatchResult<TemplatedInfo> => {
      if ('error' in outcome) return { error: outcome.error };
      accepted++;
      return { value: this.info(messages[i]!, outcome.messageId, 'SendBulkTemplatedEmail', requestId, attempts) };
    });
    this.options.logger?.info(
      { tnx: 'send', requestId, action: 'SendBulkTemplatedEmail', attempts, destinations: messages.length, accepted },
      'SES accepted %s of %s destinations in one SendBulkTemplatedEmail',
      accepted,
      messages.length,
    );
    return results;
  }
}
