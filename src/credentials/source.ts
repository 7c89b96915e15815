/**
 * What every credential source looks like to the chain, and the two ways a source can fail.
 *
 * The stop rule follows smithy's `chain()` (`@smithy/property-provider` `chain.ts`, where only a
 * `ProviderError` with `tryNextLink` moves on) and botocore's `CredentialResolver.load_credentials`
 * (a provider returning `None` moves on; one that raises ends the chain):
 * - {@link NotFound}: the source is not configured here (no variables, no file, no section). The
 *   chain tries the next source.
 * - anything else, normally a {@link credentialsError}: the source is configured but failed. The chain
 *   stops with that error and never falls through to another identity.
 */
import { LocalCodes, SesError } from '../errors.js';
import type { Credentials } from './types.js';

export interface CredentialSource {
  /** Shown in the ECREDENTIALS message and in `provider.source`. */
  readonly name: string;
  /** Yields credentials, throws {@link NotFound} when not configured, or a {@link credentialsError}. */
  load(): Promise<Credentials>;
}

/** This source is not configured (not an error of the source itself): the chain tries the next. */
export class NotFound extends Error {
  override readonly name = 'NotFound';
}

/**
 * A configured source that failed. `retryable` tells whether asking again later could work (STS or a
 * credential endpoint answering 5xx, throttled or unreachable); a bad configuration is not retryable.
 * The message must never hold a key, a token or a credential document.
 */
export function credentialsError(message: string, options: { retryable?: boolean; cause?: unknown } = {}): SesError {
  return new SesError(message, { code: LocalCodes.CREDENTIALS, retryable: options.retryable ?? false, cause: options.cause });
}

/** Any failure as the ECREDENTIALS error the user sees; `from` prefixes the message when given. */
export function asCredentialsError(err: unknown, from?: string): SesError {
  const message = (err as Error)?.message ?? String(err);
  const text = from && !message.startsWith(from) ? `${from}: ${message}` : message;
  if (err instanceof SesError) {
    if (err.code === LocalCodes.CREDENTIALS && text === message) return err;
    return credentialsError(text, { retryable: err.retryable, cause: err });
  }
  return credentialsError(text, { retryable: false, cause: err });
}

/** Checks the shape of credentials a source or a user function produced. */
export function checkCredentials(value: unknown, from: string): Credentials {
  const c = value as Partial<Credentials> | null | undefined;
  if (!c || typeof c.accessKeyId !== 'string' || !c.accessKeyId || typeof c.secretAccessKey !== 'string' || !c.secretAccessKey) {
    throw credentialsError(`${from} did not return accessKeyId and secretAccessKey`);
  }
  const out: Credentials = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
  if (typeof c.sessionToken === 'string' && c.sessionToken) out.sessionToken = c.sessionToken;
  if (c.expiration !== undefined && c.expiration !== null && (c.expiration as unknown) !== '') {
    const when = c.expiration instanceof Date ? c.expiration : new Date(c.expiration);
    if (Number.isNaN(when.getTime())) throw credentialsError(`${from} returned an expiration that is not a date`);
    out.expiration = when;
  }
  return out;
}

/**
 * Refuses credentials that have already expired when fetched (botocore's `ProcessProvider` and
 * `RefreshableCredentials` treat them as unusable; signing with them only earns `ExpiredToken`).
 * Not retryable: the source handed out dead credentials, asking again at once will not help.
 */
export function unexpired(credentials: Credentials, from: string, now: number = Date.now()): Credentials {
  const at = credentials.expiration?.getTime();
  if (at !== undefined && at <= now) {
    throw credentialsError(`${from} returned credentials that expired at ${credentials.expiration!.toISOString()}`);
  }
  return credentials;
}
