/**
 * Tries each source in order; the first that yields wins and is kept for later refreshes. When none
 * yields, one `ECREDENTIALS` error lists every source and why it gave nothing (never a secret).
 */
import { LocalCodes, SesError } from '../errors.js';
import { NotFound, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

export interface Chain {
  load(): Promise<Credentials>;
  /** Name of the source that yielded, once one has. */
  readonly winner: string | undefined;
}

export function chain(sources: CredentialSource[]): Chain {
  let winner: CredentialSource | undefined;
  return {
    get winner() {
      return winner?.name;
    },
    async load(): Promise<Credentials> {
      if (winner) return winner.load();
      const reasons: string[] = [];
      for (const source of sources) {
        try {
          const credentials = await source.load();
          winner = source;
          return credentials;
        } catch (err) {
          const reason = err instanceof NotFound || err instanceof SesError ? err.message : `failed: ${(err as Error)?.message ?? String(err)}`;
          reasons.push(`- ${source.name}: ${reason}`);
        }
      }
      throw new SesError(`No AWS credentials found. Tried, in order:\n${reasons.join('\n')}\nPass the "credentials" option or configure one of these sources.`, {
        code: LocalCodes.CREDENTIALS,
        retryable: false,
      });
    },
  };
}
