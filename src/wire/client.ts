/**
 * One Query API call (SES or STS): encode the parameters once, then for each attempt sign, post and
 * read the answer. The retry strategy (retry/strategy.ts) decides whether and when to try again; the
 * clock offset (clock.ts) learns SES's time from every answer. Knows nothing of Nodemailer.
 */
import { ClockOffset } from './clock.js';
import type { Credentials, CredentialsProvider } from '../credentials/types.js';
import { LocalCodes, SesError } from '../errors.js';
import { headerOf, type HttpAnswer } from './http-answer.js';
import { sendHttp, type Dispatcher } from './http.js';
import type { Logger } from '../logger.js';
import { encodeQueryBody, type QueryParams } from './query.js';
import { readQueryResponse, type QueryAnswer } from './response.js';
import { abortError, raceAbort, sleep } from '../abort.js';
import { retryHintMs, type BackoffOptions } from '../retry/backoff.js';
import { classify } from '../retry/classify.js';
import { StandardRetryStrategy } from '../retry/strategy.js';
import { SigV4Signer, hashPayload } from '../sigv4/index.js';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

export interface QueryClientOptions {
  endpoint: URL;
  region: string;
  /** SigV4 signing name: `ses` or `sts`. */
  service: string;
  apiVersion: string;
  /** Undefined → unsigned requests (STS AssumeRoleWithWebIdentity). */
  credentials?: CredentialsProvider;
  dispatcher: Dispatcher;
  /** Milliseconds per attempt. Default 30 000. */
  timeout?: number;
  /** Attempts per call, first included. Default 3; 1 means one request. */
  maxAttempts?: number;
  /** Retry failures after which the request may have taken effect. Default true. */
  retryAmbiguous?: boolean;
  /** Backoff tuning (tests use small delays). */
  backoff?: BackoffOptions;
  /** Called each time SES answers with throttling, so a limiter can slow down. */
  onThrottle?: () => void;
  now?: () => number;
  random?: () => number;
  logger?: Logger;
  /** Log each attempt's action, endpoint, status, time and body size at `debug` (never a secret). */
  debug?: boolean;
}

export interface QueryCallOptions {
  signal?: AbortSignal;
  /** Absolute time (ms, same clock as `now`) after which no attempt runs: ETIMEDOUT. */
  deadline?: number;
  /**
   * Never retry a failure after which SES may have acted (a 5xx, a reset after sending, a timeout),
   * whatever `retryAmbiguous` says: for requests whose repeat costs more than one duplicate
   * (SendBulkTemplatedEmail carries up to 50 destinations).
   */
  noAmbiguousRetry?: boolean;
}

export interface QueryResult extends QueryAnswer {
  attempts: number;
}

function deadlineError(): SesError {
  return new SesError('The send timed out before SES answered (sendTimeout)', { code: LocalCodes.TIMEOUT, retryable: true });
}

/** Anything a credentials provider throws reaches the caller as ECREDENTIALS. */
function credentialsError(err: unknown): SesError {
  if (err instanceof SesError && err.code === LocalCodes.CREDENTIALS) return err;
  const message = (err as Error)?.message ?? String(err);
  return new SesError(`Loading AWS credentials failed: ${message}`, {
    code: LocalCodes.CREDENTIALS,
    retryable: err instanceof SesError ? err.retryable : false,
    cause: err,
  });
}

export class QueryClient {
  private readonly signer: SigV4Signer;
  private readonly clock: ClockOffset;
  private readonly retry: StandardRetryStrategy;
  private readonly host: string;
  private readonly timeout: number;
  private readonly now: () => number;

  constructor(private readonly options: QueryClientOptions) {
    this.signer = new SigV4Signer({ region: options.region, service: options.service });
    this.now = options.now ?? Date.now;
    this.clock = new ClockOffset(this.now);
    this.retry = new StandardRetryStrategy({
      maxAttempts: options.maxAttempts,
      retryAmbiguous: options.retryAmbiguous,
      backoff: options.backoff,
      random: options.random,
    });
    this.host = options.endpoint.host;
    this.timeout = options.timeout ?? 30_000;
  }

  /** Milliseconds added to the local clock when signing (learnt from SES's Date header). */
  get clockOffset(): number {
    return this.clock.value;
  }

  /** Tokens left in the retry quota (500 when full). */
  get retryCapacity(): number {
    return this.retry.capacity;
  }

  async call(action: string, params: QueryParams, options: QueryCallOptions = {}): Promise<QueryResult> {
    const { signal, deadline } = options;
    // Encoded once, as bytes: hashing and sending the same Buffer spares two UTF-8 conversions.
    const body = encodeQueryBody(action, this.options.apiVersion, params);
    const payloadHash = hashPayload(body);
    const token = this.retry.begin();
    let attempts = 0;
    let credentials: Credentials | undefined;
    let refreshed: Credentials | undefined;
    for (;;) {
      if (signal?.aborted) throw finish(abortError(signal), attempts);
      const remaining = deadline === undefined ? Infinity : deadline - this.now();
      if (remaining <= 0) throw finish(deadlineError(), attempts);

      // Loading credentials can take long (credential_process, STS): an abort or sendTimeout ends the wait.
      try {
        credentials = refreshed ?? (await raceAbort(this.credentials(false), signal));
      } catch (err) {
        throw finish(signal?.aborted ? abortError(signal) : credentialsError(err), attempts);
      }
      refreshed = undefined;
      const signedWith = this.clock.value;
      const headers = this.sign(body, payloadHash, credentials);
      if (signal?.aborted) throw finish(abortError(signal), attempts);

      attempts++;
      const sentAt = this.now();
      let res: HttpAnswer | undefined;
      let clockCorrected = false;
      try {
        res = await sendHttp(this.options.dispatcher, {
          method: 'POST',
          url: this.options.endpoint,
          headers,
          body,
          timeout: Math.min(this.timeout, remaining),
          signal,
        });
        clockCorrected = this.clock.sample({ date: headerOf(res, 'date'), age: headerOf(res, 'age'), sentAt, signedWith });
        const answer = await readQueryResponse(action, res);
        this.log(action, attempts, res.statusCode, sentAt, body.length);
        this.retry.recordSuccess(token);
        return { ...answer, attempts };
      } catch (caught) {
        const err =
          caught instanceof SesError
            ? caught
            : new SesError(String((caught as Error)?.message ?? caught), { code: LocalCodes.PROTOCOL, cause: caught });
        this.log(action, attempts, res?.statusCode ?? err.code, sentAt, body.length);
        if (signal?.aborted) throw finish(abortError(signal), attempts);
        if (err.code === LocalCodes.ABORT) throw finish(err, attempts);

        // An expired token is worth a retry only if refreshing gives other credentials (a static
        // session token would be refused again).
        if (
          classify(err) === 'expired-token' &&
          credentials?.sessionToken !== undefined &&
          !token.onceUsed.has('expired-token') &&
          this.retry.mayRetry(attempts)
        ) {
          refreshed = await raceAbort(this.credentials(true), signal).catch(() => undefined);
          if (signal?.aborted) throw finish(abortError(signal), attempts);
          if (refreshed && refreshed.sessionToken === credentials.sessionToken && refreshed.accessKeyId === credentials.accessKeyId)
            refreshed = undefined;
        }
        const decision = this.retry.retryAfter(token, {
          error: err,
          attempts,
          retryHintMs: res ? retryHintMs({ get: (name) => headerOf(res!, name) }, this.now()) : undefined,
          clockCorrected,
          canRefreshCredentials: refreshed !== undefined,
          remainingMs: deadline === undefined ? undefined : deadline - this.now(),
          noAmbiguousRetry: options.noAmbiguousRetry,
        });
        if (decision.kind === 'throttling') this.options.onThrottle?.();
        if (clockCorrected) {
          this.options.logger?.warn(
            { tnx: 'clock', offsetMs: this.clock.value },
            "SES says the local clock is off by %s ms; signing with SES's time from now on",
            this.clock.value,
          );
          if (decision.kind === 'clock-skew') err.retryable = true;
        }
        if (!decision.retry) {
          if (decision.reason === 'quota')
            this.options.logger?.warn({ tnx: 'retry', code: err.code }, 'Retry quota exhausted; not retrying %s', err.code);
          throw finish(err, attempts);
        }
        if (decision.kind === 'expired-token') {
          this.options.logger?.info(
            { tnx: 'credentials', code: err.code },
            'SES rejected the session token (%s); retrying once with refreshed credentials',
            err.code,
          );
        } else {
          refreshed = undefined;
        }
        if (decision.delay > 0) {
          await sleep(decision.delay, signal).catch((abort: SesError) => {
            throw finish(abort, attempts);
          });
        }
      }
    }
  }

  private async credentials(forceRefresh: boolean): Promise<Credentials | undefined> {
    const provider = this.options.credentials;
    if (!provider) return undefined;
    return provider(forceRefresh ? { forceRefresh: true } : undefined);
  }

  private sign(body: Buffer, payloadHash: string, credentials: Credentials | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': FORM_CONTENT_TYPE };
    if (!credentials) return headers;
    const signed = this.signer.sign(
      { method: 'POST', host: this.host, path: this.options.endpoint.pathname || '/', headers, body, payloadHash },
      credentials,
      this.clock.signingDate(),
    );
    return Object.assign(headers, signed);
  }

  /** With `debug` (Nodemailer's convention), one debug line per attempt; never a secret. */
  private log(action: string, attempt: number, status: number | string, started: number, bytes: number): void {
    if (!this.options.debug || !this.options.logger) return;
    const ms = this.now() - started;
    const endpoint = this.options.endpoint.origin;
    this.options.logger.debug(
      { tnx: 'http', action, attempt, status, ms, bytes, endpoint },
      '%s %s → %s (attempt %s, %s ms, %s bytes sent)',
      action,
      endpoint,
      status,
      attempt,
      ms,
      bytes,
    );
  }
}

function finish(err: SesError, attempts: number): SesError {
  err.attempts = attempts;
  return err;
}
