/**
 * Caching with single-flight refresh: many concurrent callers share one load; temporary credentials
 * are refreshed within five minutes of expiring (aws-sdk-js-v3 `credential-provider-node`
 * `runtime/memoize-chain.ts`, `credentialsTreatedAsExpired`); a failed refresh while the old
 * credentials are still valid does not fail callers; once they have expired it does. Whatever goes
 * wrong reaches the caller as `SesError` ECREDENTIALS, with `retryable` and `cause` from the source.
 */
import type { SesError } from '../errors.js';
import type { Logger } from '../logger.js';
import { asCredentialsError } from './source.js';
import type { Credentials, CredentialsProvider } from './types.js';

export const REFRESH_WINDOW_MS = 5 * 60_000;

export interface CacheOptions {
  now?: () => number;
  refreshWindowMs?: number;
  logger?: Logger;
}

export function cacheCredentials(load: () => Promise<Credentials>, options: CacheOptions = {}): CredentialsProvider {
  const now = options.now ?? Date.now;
  const window = options.refreshWindowMs ?? REFRESH_WINDOW_MS;
  let current: Credentials | undefined;
  let inflight: Promise<Credentials> | undefined;

  const refresh = (): Promise<Credentials> => {
    inflight ??= Promise.resolve()
      .then(load)
      .then(
        (fresh) => {
          current = fresh;
          inflight = undefined;
          return fresh;
        },
        (err: unknown) => {
          inflight = undefined;
          throw asCredentialsError(err);
        },
      );
    return inflight;
  };

  return async (request) => {
    const force = request?.forceRefresh === true;
    if (current && !force) {
      const expires = current.expiration?.getTime();
      if (expires === undefined || expires - now() > window) return current;
      if (expires > now()) {
        // Due for refresh but still valid: a failed refresh keeps these.
        const stillValid = current;
        return refresh().catch((err: SesError) => {
          options.logger?.warn(
            { tnx: 'credentials', code: err.code },
            'Refreshing credentials failed (%s); using the current ones until they expire',
            err.message,
          );
          return stillValid;
        });
      }
      current = undefined; // expired: never signed with again
    }
    return refresh();
  };
}
