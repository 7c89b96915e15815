/**
 * The one error class this package throws. Whether a code may be retried is decided in
 * retry/classify.ts.
 *
 * `code` is stable: Nodemailer's own vocabulary for local failures (`ECONFIG`, `EMESSAGE`,
 * `ECONNECTION`, `ETIMEDOUT`, …) and SES's error code for API failures (`MessageRejected`,
 * `Throttling`, …). Messages never hold a secret key, a session token or a signature.
 */

import { LocalCodes, type LocalCode } from './error-codes.js';
import { classify, isRetryableKind } from './retry/classify.js';

export { LocalCodes, type LocalCode } from './error-codes.js';

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

/**
 * The brand every `SesError` carries, shared through the global symbol registry: the package's
 * entries (`.`, `./redis`, `./events`) are separate bundles and may each hold a copy of this class,
 * and `instanceof SesError` holds for an error from any of them (as undici brands its errors).
 */
const BRAND = Symbol.for('nodemailer-ses-query.SesError');

export class SesError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

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
    this.retryable =
      options.retryable ?? isRetryableKind(classify({ code: options.code, statusCode: options.statusCode, message, cause: options.cause }));
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

Object.defineProperty(SesError.prototype, BRAND, { value: true });
