/**
 * Web identity (EKS IRSA and similar): an unsigned AssumeRoleWithWebIdentity call to STS, made with
 * the same query encoder, client and XML reader as the SES calls.
 */
import { readFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { QueryClient } from '../client.js';
import { resolveEndpoint } from '../endpoint/resolve-endpoint.js';
import { createDispatcher } from '../http.js';
import { NotFound, checkCredentials, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

const STS_API_VERSION = '2011-06-15';

export function fromWebIdentity(env: NodeJS.ProcessEnv, region: string | undefined, dispatcher?: Dispatcher): CredentialSource {
  return {
    name: 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE)',
    async load(): Promise<Credentials> {
      const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE;
      const roleArn = env.AWS_ROLE_ARN;
      if (!tokenFile || !roleArn) throw new NotFound('AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set');
      let token: string;
      try {
        token = (await readFile(tokenFile, 'utf8')).trim();
      } catch (err) {
        throw new NotFound(`cannot read AWS_WEB_IDENTITY_TOKEN_FILE: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      const stsRegion = region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
      const sts = resolveEndpoint({ region: stsRegion, service: 'sts', env });
      const own = dispatcher ? undefined : createDispatcher({ env });
      try {
        const client = new QueryClient({
          endpoint: sts.url,
          region: sts.signingRegion,
          service: 'sts',
          apiVersion: STS_API_VERSION,
          dispatcher: dispatcher ?? own!,
          timeout: 5000,
        });
        const { result } = await client.call('AssumeRoleWithWebIdentity', {
          RoleArn: roleArn,
          RoleSessionName: env.AWS_ROLE_SESSION_NAME || `nodemailer-ses-query-${Date.now()}`,
          WebIdentityToken: token,
        });
        const c = (result.Credentials ?? {}) as Record<string, unknown>;
        return checkCredentials({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration }, 'STS AssumeRoleWithWebIdentity');
      } finally {
        await own?.close();
      }
    },
  };
}
