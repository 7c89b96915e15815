/**
 * The transport's options: their types (with the documentation users see in their editor) and the
 * checks that turn a bad option into an `ECONFIG` error at construction rather than a surprise later.
 */
import type { Dispatcher } from 'undici';
import type { CredentialsOption } from './credentials/types.js';
import { configError } from './errors.js';
import { checkRate } from './flow/rate.js';
import type { LoggerOption } from './logger.js';
import type { SesMessageOptions } from './mapping/index.js';
import type { RateLimiter } from './flow/rate-limiter.js';
import type { TemplateBatchingOptions } from './templates/sending.js';

export type SendAction = 'auto' | 'SendRawEmail';

export interface SesQueryTransportOptions {
  /** AWS region, e.g. `eu-west-1`. Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region`. */
  region?: string;
  /**
   * Static credentials, or a function returning them (may be async and may return `expiration`;
   * it is called again before that). Default: the AWS credential chain (environment, shared files,
   * web identity, container, instance metadata).
   */
  credentials?: CredentialsOption;
  /** Profile in `~/.aws/credentials` / `~/.aws/config`. Default: `AWS_PROFILE`, else `default`. */
  profile?: string;
  /** SES endpoint URL. Default: `AWS_ENDPOINT_URL_SES`, `AWS_ENDPOINT_URL`, else derived from the region. `http://` only for loopback hosts. */
  endpoint?: string | URL;
  /** Use the FIPS endpoint (`email-fips.<region>`). Default: `AWS_USE_FIPS_ENDPOINT=true`. */
  useFipsEndpoint?: boolean;
  /** Use the dual-stack endpoint (`email.<region>.<the partition's dual-stack suffix>`, e.g. `api.aws`). Default: `AWS_USE_DUALSTACK_ENDPOINT=true`. */
  useDualstackEndpoint?: boolean;
  /** SES options merged into every message (a message's own `ses` key wins key by key). */
  ses?: SesMessageOptions;
  /** `auto`: `SendEmail` when SES can carry the message without loss, else `SendRawEmail`. Default `auto`. */
  action?: SendAction;
  /** Milliseconds for one HTTP attempt: connecting (TCP and TLS: at most 10 s, or `timeout` if shorter), then the answer's headers, then its body, each. Default 30 000. */
  timeout?: number;
  /** Milliseconds for one message from `sendMail` to its answer, queueing and retries included. Default: none. */
  sendTimeout?: number;
  /** HTTP attempts per message, first one included. Default 3; 1 turns retries off. */
  maxAttempts?: number;
  /**
   * Also retry failures after which SES may have accepted the message (5xx answers, connections lost
   * after the request was sent, timeouts). Such a retry can deliver a message twice. Default `true`
   * (as the AWS SDKs do).
   */
  retryAmbiguous?: boolean;
  /** Recipients per second for this transport (SES counts each recipient), or `'auto'` to follow the account's `MaxSendRate`. Default: no limit. */
  sendingRate?: number | 'auto';
  /** Requests in flight at once. Default 16. */
  maxConnections?: number;
  /** A shared rate limiter (e.g. `RedisRateLimiter`); replaces `sendingRate`. Yours: `close()` leaves it open. */
  rateLimiter?: RateLimiter;
  /** undici Dispatcher for the SES requests (proxies, tests). Default: a kept-alive pool (honours `HTTPS_PROXY`/`NO_PROXY`). */
  dispatcher?: Dispatcher;
  /** Nodemailer's logger convention: `true` logs to the console, or a bunyan-style logger object. */
  logger?: LoggerOption;
  /** The `component` field of every log entry (Nodemailer's convention). Default `'ses-query'`. */
  component?: string;
  /**
   * Templated messages (`ses.Template`) given close together with the same template, sender,
   * reply-to, return path, configuration set and ARNs share one `SendBulkTemplatedEmail` (up to
   * `maxDestinations`, waiting at most `maxWaitMs` for company). `false`: one `SendTemplatedEmail`
   * each. Default `{ maxWaitMs: 5, maxDestinations: 50 }`.
   */
  templateBatching?: false | TemplateBatchingOptions;
  /**
   * Nodemailer's convention: log each request at `debug` level (action, endpoint, status, time,
   * attempt, bytes sent). Never a secret key, session token or signature. Default `false`.
   */
  debug?: boolean;
}

const KNOWN_OPTIONS = new Set<string>([
  'region',
  'credentials',
  'profile',
  'endpoint',
  'useFipsEndpoint',
  'useDualstackEndpoint',
  'ses',
  'action',
  'timeout',
  'sendTimeout',
  'maxAttempts',
  'retryAmbiguous',
  'sendingRate',
  'maxConnections',
  'rateLimiter',
  'dispatcher',
  'logger',
  'debug',
  'component',
  'templateBatching',
]);

function positive(name: string, value: unknown, integer: boolean): void {
  if (value === undefined) return;
  const ok = typeof value === 'number' && value > 0 && (integer ? Number.isInteger(value) || value === Infinity : Number.isFinite(value));
  if (!ok) throw configError(`Option "${name}" must be a positive ${integer ? 'whole ' : ''}number`);
}

/** The longest delay a timer can hold (2^31 − 1 ms, about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

function milliseconds(name: string, value: unknown): void {
  positive(name, value, false);
  if (typeof value === 'number' && value > MAX_TIMER_MS)
    throw configError(`Option "${name}" must be at most ${MAX_TIMER_MS} ms (about 24.8 days)`);
}

/** Throws `ECONFIG` naming the first option that cannot work. Does no I/O. */
export function checkOptions(options: unknown): SesQueryTransportOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw configError('SesQueryTransport options must be an object');
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN_OPTIONS.has(key)) throw configError(`Unknown SesQueryTransport option "${key}"`);
  }
  if (o.action !== undefined && o.action !== 'auto' && o.action !== 'SendRawEmail') {
    throw configError('Option "action" must be "auto" or "SendRawEmail"');
  }
  milliseconds('timeout', o.timeout);
  milliseconds('sendTimeout', o.sendTimeout);
  positive('maxAttempts', o.maxAttempts, true);
  positive('maxConnections', o.maxConnections, true);
  if (o.sendingRate !== undefined) checkRate(o.sendingRate, 'Option "sendingRate"');
  if (o.sendingRate !== undefined && o.rateLimiter !== undefined) {
    throw configError('Give either "sendingRate" or "rateLimiter", not both');
  }
  if (o.rateLimiter !== undefined) {
    const limiter = o.rateLimiter as Record<keyof RateLimiter, unknown> | null;
    if (
      !limiter ||
      typeof limiter.acquire !== 'function' ||
      typeof limiter.isReady !== 'function' ||
      typeof limiter.onceReady !== 'function'
    ) {
      throw configError('Option "rateLimiter" must implement acquire(), isReady() and onceReady()');
    }
  }
  checkTemplateBatching(o.templateBatching);
  if (o.credentials !== undefined && typeof o.credentials !== 'function') {
    const c = o.credentials as Record<string, unknown> | null;
    if (!c || typeof c.accessKeyId !== 'string' || !c.accessKeyId || typeof c.secretAccessKey !== 'string' || !c.secretAccessKey) {
      throw configError('Option "credentials" must have accessKeyId and secretAccessKey strings, or be a function returning them');
    }
  }
  for (const key of ['retryAmbiguous', 'useFipsEndpoint', 'useDualstackEndpoint', 'debug'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw configError(`Option "${key}" must be true or false`);
  }
  for (const key of ['region', 'profile', 'component'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || !o[key])) throw configError(`Option "${key}" must be a non-empty string`);
  }
  return o;
}

function checkTemplateBatching(value: unknown): void {
  if (value === undefined || value === false) return;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw configError('Option "templateBatching" must be false or { maxWaitMs, maxDestinations }');
  const b = value as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (key !== 'maxWaitMs' && key !== 'maxDestinations')
      throw configError(`Unknown templateBatching option "${key}"; known: maxWaitMs, maxDestinations`);
  }
  const wait = b.maxWaitMs;
  if (wait !== undefined && !(typeof wait === 'number' && Number.isFinite(wait) && wait >= 0 && wait <= 1000)) {
    throw configError('Option "templateBatching.maxWaitMs" must be a number of milliseconds from 0 to 1000');
  }
  const max = b.maxDestinations;
  if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max >= 2 && max <= 50)) {
    throw configError(
      'Option "templateBatching.maxDestinations" must be a whole number from 2 to 50 (SES takes 50 destinations per request)',
    );
  }
}
