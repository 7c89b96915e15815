/**
 * Credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` (Lambda sets all
 * three), with `AWS_CREDENTIAL_EXPIRATION` when present.
 *
 * Not configured: neither key is set. Configured but broken (one key without the other, an expiration
 * in the past): ECREDENTIALS, the chain stops (botocore `credentials.py` `EnvProvider` raises
 * `PartialCredentialsError` rather than moving on).
 *
 * `AWS_PROFILE` does not take these out of the chain; only the `profile` option does (see `index.ts`).
 */
import type { Logger } from '../logger.js';
import type { Credentials } from './types.js';
import { NotFound, credentialsError, unexpired, type CredentialSource } from './source.js';

export function fromEnv(env: NodeJS.ProcessEnv, logger?: Logger): CredentialSource {
  let warned = false;
  return {
    name: 'environment',
    // `async` with nothing to await: it turns a missing or malformed variable into a rejected promise,
    // as the other sources' failures are, instead of a synchronous throw.
    // eslint-disable-next-line @typescript-eslint/require-await
    async load(): Promise<Credentials> {
      const accessKeyId = env.AWS_ACCESS_KEY_ID;
      const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
      if (!accessKeyId && !secretAccessKey) throw new NotFound('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
      if (!accessKeyId || !secretAccessKey) {
        throw credentialsError(`${accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not set (the other one is)`);
      }
      if (env.AWS_PROFILE && !warned) {
        warned = true;
        logger?.warn(
          { tnx: 'credentials' },
          'Both AWS_PROFILE (%s) and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set; signing with the environment keys. Pass the "profile" option to use the profile instead',
          env.AWS_PROFILE,
        );
      }
      const credentials: Credentials = { accessKeyId, secretAccessKey };
      if (env.AWS_SESSION_TOKEN) credentials.sessionToken = env.AWS_SESSION_TOKEN;
      if (env.AWS_CREDENTIAL_EXPIRATION) {
        const expiration = new Date(env.AWS_CREDENTIAL_EXPIRATION);
        if (Number.isNaN(expiration.getTime())) throw credentialsError('AWS_CREDENTIAL_EXPIRATION is not a date');
        credentials.expiration = expiration;
      }
      return unexpired(credentials, 'the environment');
    },
  };
}
