/** Credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` (Lambda sets all three). */
import type { Credentials } from './types.js';
import { NotFound, type CredentialSource } from './source.js';

export function fromEnv(env: NodeJS.ProcessEnv): CredentialSource {
  return {
    name: 'environment',
    async load(): Promise<Credentials> {
      const accessKeyId = env.AWS_ACCESS_KEY_ID;
      const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
      if (!accessKeyId && !secretAccessKey) throw new NotFound('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
      if (!accessKeyId || !secretAccessKey) {
        throw new NotFound(`${accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not set (the other one is)`);
      }
      const credentials: Credentials = { accessKeyId, secretAccessKey };
      if (env.AWS_SESSION_TOKEN) credentials.sessionToken = env.AWS_SESSION_TOKEN;
      const expiration = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
      if (expiration && !Number.isNaN(expiration.getTime())) credentials.expiration = expiration;
      return credentials;
    },
  };
}
