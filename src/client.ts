/**
 * One Query API call (SES or STS): encode the parameters once, then for each attempt sign, post and
 * read the answer; retry what the rules allow with backoff; correct the clock; refresh expired
 * temporary credentials once. Knows nothing of Nodemailer.
 */
import { ClockOffset } from './clock.js';
import type { CredentialsProvider } from './credentials/types.js';
import { LocalCodes, SesError } from './errors.js';
import { sendHttp, type Dispatcher, type HttpResponse } from './http.js';
import type { Logger } from './logger.js';
import { encodeQueryBody, type QueryParams } from './query.js';
import { readQueryResponse, type QueryAnswer } from './response.js';
import {
  RetryQuota, backoffDelay, isAmbiguous, isClockSkew, isExpiredToken, isThrottling, retryAfterMs, retryCost,
  type BackoffOptions,
} from './retry.js';
import { SigV4Signer, hashPayload } from './sigv4/index.js';

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
  /** Attempts per call, first included. Default 3. */
  maxAttempts?: number;
  /** Retry failures after which the request may have taken effect. Default true. */
  retryAmbiguous?: boolean;
  /** Backoff tuning (tests use small delays). */
  backoff?: BackoffOptions;
  /** Called each time SES answers `Throttling` (rate), so a limiter can slow down. */
  onThrottle?: () => void;
  now?: () => number;
  random?: () => number;
  logger?: Logger;
}

export interface QueryCallOptions {
  signal?: AbortSignal;
  /** Absolute time (ms, same clock as `now`) after which no attempt runs: ETIMEDOUT. */
  deadline?: number;
}

export interface QueryResult extends QueryAnswer {
  attempts: number;
}

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): SesError {
  const reason: unknown = signal.reason;
  if (reason instanceof SesError) return reason;
  return new SesError('The request was aborted', { code: LocalCodes.ABORT, retryable: false, cause: reason });
}

function deadlineError(): SesError {
  return new SesError('The send timed out before SES answered (sendTimeout)', { code: LocalCodes.TIMEOUT, retryable: true });
}

export class QueryClient {
  private readonly signer: SigV4Signer;
  private readonly clock: ClockOffset;
  private readonly quota = new RetryQuota();
  private readonly host: string;
  private readonly timeout: number;
  private readonly maxAttempts: number;
  private readonly retryAmbiguous: boolean;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: QueryClientOptions) {
    this.signer = new SigV4Signer({ region: options.region, service: options.service });
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.clock = new ClockOffset(this.now);
    this.host = options.endpoint.host;
    this.timeout = options.timeout ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryAmbiguous = options.retryAmbiguous ?? true;
  }

  /** Milliseconds added to the local clock when signing (0 until SES said the clock is off). */
  get clockOffset(): number {
    return this.clock.value;
  }

  async call(action: string, params: QueryParams, options: QueryCallOptions = {}): Promise<QueryResult> {
    const { signal, deadline } = options;
    // Encoded once, as bytes: hashing and sending the same Buffer spares two UTF-8 conversions.
    const body = encodeQueryBody(action, this.options.apiVersion, params);
    const payloadHash = hashPayload(body);
    let attempts = 0;
    let retries = 0;
    let spent = 0;
    let clockCorrected = false;
    let tokenRefreshed = false;
    let refreshNext = false;
    for (;;) {
      if (signal?.aborted) throw this.finish(abortError(signal), attempts);
      const remaining = deadline === undefined ? Infinity : deadline - this.now();
      if (remaining <= 0) throw this.finish(deadlineError(), attempts);
      attempts++;
      const started = this.now();
      let res: HttpResponse | undefined;
      try {
        const headers = await this.headersFor(body, payloadHash, refreshNext);
        refreshNext = false;
        res = await sendHttp(this.options.dispatcher, {
          method: 'POST',
          url: this.options.endpoint,
          headers,
          body,
          timeout: Math.min(this.timeout, remaining),
          signal,
        });
        const answer = await readQueryResponse(action, res);
        this.log(action, attempts, res.statusCode, started);
        if (spent) this.quota.refund(spent);
        return { ...answer, attempts };
      } catch (caught) {
        const err = caught instanceof SesError ? caught : new SesError(String((caught as Error)?.message ?? caught), { code: LocalCodes.PROTOCOL, cause: caught });
        this.log(action, attempts, res?.statusCode ?? err.code, started);
        if (err.code === LocalCodes.ABORT || signal?.aborted) throw this.finish(signal?.aborted ? abortError(signal) : err, attempts);
        if (err.code === LocalCodes.CREDENTIALS) throw this.finish(err, attempts);

        if (isClockSkew(err) && !clockCorrected && res && this.clock.correct(header(res, 'date'))) {
          clockCorrected = true;
          this.options.logger?.warn({ tnx: 'clock', offsetMs: this.clock.value }, 'SES says the local clock is off by %s ms; signing with the corrected time', this.clock.value);
          continue;
        }
        if (isExpiredToken(err) && !tokenRefreshed && this.options.credentials) {
          const current = await this.options.credentials();
          if (current.sessionToken) {
            tokenRefreshed = refreshNext = true;
            this.options.logger?.info({ tnx: 'credentials' }, 'SES rejected the session token (%s); refreshing credentials once', err.code);
            continue;
          }
        }
        if (isThrottling(err) && err.retryable) this.options.onThrottle?.();
        if (!err.retryable || attempts >= this.maxAttempts) throw this.finish(err, attempts);
        if (!this.retryAmbiguous && isAmbiguous(err)) throw this.finish(err, attempts);
        const cost = retryCost(err);
        if (!this.quota.take(cost)) {
          this.options.logger?.warn({ tnx: 'retry' }, 'Retry quota exhausted; not retrying %s', err.code);
          throw this.finish(err, attempts);
        }
        spent += cost;
        const delay =
          (res && retryAfterMs(header(res, 'retry-after'), this.now(), this.options.backoff?.maxDelay)) ??
          backoffDelay(retries++, isThrottling(err), this.options.backoff, this.random);
        if (deadline !== undefined && this.now() + delay >= deadline) throw this.finish(err, attempts);
        await sleep(delay, signal).catch((abort: SesError) => {
          throw this.finish(abort, attempts);
        });
      }
    }
  }

  private async headersFor(body: Buffer, payloadHash: string, forceRefresh: boolean): Promise<Record<string, string>> {
    const headers: Record<string, string> = { 'content-type': FORM_CONTENT_TYPE };
    const provider = this.options.credentials;
    if (!provider) return headers;
    const credentials = await provider(forceRefresh ? { forceRefresh: true } : undefined);
    const signed = this.signer.sign(
      { method: 'POST', host: this.host, path: this.options.endpoint.pathname || '/', headers, body, payloadHash },
      credentials,
      this.clock.signingDate(),
    );
    return Object.assign(headers, signed);
  }

  private finish(err: SesError, attempts: number): SesError {
    err.attempts = attempts;
    return err;
  }

  private log(action: string, attempt: number, status: number | string, started: number): void {
    this.options.logger?.debug({ tnx: 'http', action, attempt, status, ms: this.now() - started }, '%s %s → %s (attempt %s, %s ms)', action, this.host, status, attempt, this.now() - started);
  }
}
