/**
 * The one error class this package throws, and the table of which codes may be retried.
 *
 * `code` is stable: Nodemailer's own vocabulary for local failures (`ECONFIG`, `EMESSAGE`,
 * `ECONNECTION`, `ETIMEDOUT`, …) and SES's error code for API failures (`MessageRejected`,
 * `Throttling`, …). Messages never hold a secret key, a session token or a signature.
 */

/** Codes this package raises itself (SES's own codes pass through unchanged). */
export const LocalCodes = {
  /** Bad transport options (missing region, malformed endpoint, …). */
  CONFIG: 'ECONFIG',
  /** No credential source yielded credentials. */
  CREDENTIALS: 'ECREDENTIALS',
  /** The message has no recipients. */
  ENVELOPE: 'EENVELOPE',
  /** More than 50 recipients (To + Cc + Bcc). */
  MAX_RECIPIENTS: 'EMAXRECIPIENTS',
  /** The message is over SES's 10 MB limit (after base64). */
  MAX_LIMIT: 'EMAXLIMIT',
  /** The message or its `ses` options cannot be sent as given. */
  MESSAGE: 'EMESSAGE',
  /** The connection failed (refused, reset, DNS, TLS). */
  CONNECTION: 'ECONNECTION',
  /** An attempt or the whole send ran out of time. */
  TIMEOUT: 'ETIMEDOUT',
  /** The answer was not something SES would send (HTML page, truncated XML, …). */
  PROTOCOL: 'EPROTOCOL',
  /** The caller aborted the send through an AbortSignal. */
  ABORT: 'EABORT',
  /** The transport was closed before the message could be sent. */
  CLOSED: 'ECLOSED',
} as const;

export type LocalCode = (typeof LocalCodes)[keyof typeof LocalCodes];

export interface SesErrorOptions {
  /** Stable machine-readable code: a {@link LocalCode} or SES's own error code. */
  code: string;
  /** HTTP status of the answer, when there was one. */
  statusCode?: number;
  /** SES's RequestId, when the answer carried one. */
  requestId?: string;
  /** SES's fault type: `Sender` (the request is wrong) or `Receiver` (SES failed). */
  type?: 'Sender' | 'Receiver';
  /** Whether sending the same request again could succeed. Defaults from the code table. */
  retryable?: boolean;
  /** How many HTTP attempts were made before giving up (0 when refused before the network). */
  attempts?: number;
  /** The underlying error. */
  cause?: unknown;
}

/** SES error codes that are worth another attempt (with backoff). Throttling is special-cased. */
const RETRYABLE_SES_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'RequestExpired',
]);

const RETRYABLE_LOCAL_CODES = new Set<string>([LocalCodes.CONNECTION, LocalCodes.TIMEOUT]);

/** SES answers `Throttling` for the per-second rate (retry) and for the daily quota (do not). */
export function isDailyQuotaExceeded(code: string, message: string): boolean {
  return code === 'Throttling' && /daily message quota/i.test(message);
}

/** The default answer to "could the same request succeed later?" for a code and HTTP status. */
export function isRetryable(code: string, statusCode: number | undefined, message = ''): boolean {
  if (isDailyQuotaExceeded(code, message)) return false;
  if (RETRYABLE_SES_CODES.has(code) || RETRYABLE_LOCAL_CODES.has(code)) return true;
  if (code === 'SignatureDoesNotMatch' && /signature expired/i.test(message)) return true;
  return statusCode !== undefined && (statusCode === 500 || statusCode === 502 || statusCode === 503 || statusCode === 504);
}

export class SesError extends Error {
  override readonly name = 'SesError';
  readonly code: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly type?: 'Sender' | 'Receiver';
  retryable: boolean;
  /** HTTP attempts made for this message; set by the client when it gives up. */
  attempts?: number;

  constructor(message: string, options: SesErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    if (options.statusCode !== undefined) this.statusCode = options.statusCode;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.type !== undefined) this.type = options.type;
    this.retryable = options.retryable ?? isRetryable(options.code, options.statusCode, message);
    if (options.attempts !== undefined) this.attempts = options.attempts;
  }
}

/** Shorthand for the errors raised before anything touches the network. */
export function configError(message: string, cause?: unknown): SesError {
  return new SesError(message, { code: LocalCodes.CONFIG, retryable: false, cause });
}

export function messageError(message: string, code: LocalCode = LocalCodes.MESSAGE): SesError {
  return new SesError(message, { code, retryable: false, attempts: 0 });
}
