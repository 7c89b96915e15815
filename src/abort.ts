/** Aborting: the one error an abort becomes, and a sleep that an AbortSignal ends. */
import { LocalCodes } from './error-codes.js';
import { SesError } from './errors.js';

/**
 * The error for an aborted signal: its reason when that is already a `SesError` (a `sendTimeout`
 * says ETIMEDOUT), else `EABORT` with the reason as `cause`.
 */
export function abortError(signal: AbortSignal, attempts?: number): SesError {
  const reason: unknown = signal.reason;
  if (reason instanceof SesError) {
    if (attempts !== undefined && reason.attempts === undefined) reason.attempts = attempts;
    return reason;
  }
  return new SesError('Sending was aborted', {
    code: LocalCodes.ABORT,
    retryable: false,
    cause: reason,
    ...(attempts === undefined ? {} : { attempts }),
  });
}

/** Waits `ms`; rejects with {@link abortError} as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
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

/** Settles with `promise`, or rejects with {@link abortError} as soon as `signal` aborts (the promise is left to finish on its own). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
