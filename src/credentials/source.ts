/** What every credential source looks like to the chain. */
import type { Credentials } from './types.js';

export interface CredentialSource {
  /** Shown in the ECREDENTIALS message and in `provider.source`. */
  readonly name: string;
  /** Yields credentials, or throws {@link NotFound} with the reason this source has none. */
  load(): Promise<Credentials>;
}

/** This source has nothing to give (not an error of the source itself): the chain tries the next. */
export class NotFound extends Error {
  override readonly name = 'NotFound';
}

/** Checks the shape of credentials a source or a user function produced. */
export function checkCredentials(value: unknown, from: string): Credentials {
  const c = value as Partial<Credentials> | null | undefined;
  if (!c || typeof c.accessKeyId !== 'string' || !c.accessKeyId || typeof c.secretAccessKey !== 'string' || !c.secretAccessKey) {
    throw new Error(`${from} did not return accessKeyId and secretAccessKey`);
  }
  const out: Credentials = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
  if (typeof c.sessionToken === 'string' && c.sessionToken) out.sessionToken = c.sessionToken;
  if (c.expiration !== undefined) {
    const when = c.expiration instanceof Date ? c.expiration : new Date(c.expiration as unknown as string);
    if (Number.isNaN(when.getTime())) throw new Error(`${from} returned an expiration that is not a date`);
    out.expiration = when;
  }
  return out;
}
