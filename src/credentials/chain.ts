/**
 * Walks the sources in order on every load; the cache above decides how often that is.
 *
 * Stop rules (smithy `@smithy/property-provider` `chain.ts` with `CredentialsProviderError.tryNextLink`;
 * botocore `credentials.py` `CredentialResolver.load_credentials`): a source that is not configured
 * ({@link NotFound}) moves the chain on; a source that is configured but fails ends it with that error,
 * as ECREDENTIALS, and no later source is asked. Nothing is remembered between loads: when the cache
 * refreshes, the chain starts again from the top (aws-sdk-js-v3 `credential-provider-node`
 * `runtime/memoize-chain.ts` memoizes the whole chain, not the source that won), so a higher-priority
 * source that recovers is used again. When no source is configured, one ECREDENTIALS error lists every
 * source and why it gave nothing (never a secret).
 */
import { LocalCodes, SesError } from '../errors.js';
import { NotFound, asCredentialsError, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

export interface Chain {
  load(): Promise<Credentials>;
  /** Name of the source that yielded the last credentials, once one has. */
  readonly winner: string | undefined;
}

export function chain(sources: CredentialSource[]): Chain {
  let winner: string | undefined;
  return {
    get winner() {
      return winner;
    },
    async load(): Promise<Credentials> {
      const reasons: string[] = [];
      for (const source of sources) {
        let credentials: Credentials;
        try {
          credentials = await source.load();
        } catch (err) {
          if (err instanceof NotFound) {
            reasons.push(`- ${source.name}: ${err.message}`);
            continue;
          }
          throw asCredentialsError(err, source.name);
        }
        winner = source.name;
        return credentials;
      }
      throw new SesError(
        `No AWS credentials found. Tried, in order:\n${reasons.join('\n')}\nPass the "credentials" option or configure one of these sources.`,
        {
          code: LocalCodes.CREDENTIALS,
          retryable: false,
        },
      );
    },
  };
}
