/**
 * Caching with single-flight refresh: many concurrent callers share one load; temporary credentials
 * are refreshed within five minutes of expiring; a failed refresh while the old credentials are still
 * valid does not fail callers.
 */
import type { Logger } from '../logger.js';
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
    inflight ??= load().then(
      (fresh) => {
        current = fresh;
        inflight = undefined;
        return fresh;
      },
      (err: unknown) => {
        inflight = undefined;
        throw err;
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
        return refresh().catch((err: unknown) => {
          options.logger?.warn({ tnx: 'credentials' }, 'Refreshing credentials failed (%s); using the current ones until they expire', (err as Error)?.message);
          return stillValid;
        });
      }
    }
    return refresh();
  };
}
