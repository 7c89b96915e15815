/**
 * STS AssumeRoleWithWebIdentity over the same encoder, client and XML reader as the SES calls: an
 * unsigned Query call to the regional STS endpoint. The credential chain receives it as a function
 * (credentials/web-identity.ts), so the credentials layer never reaches up to the client.
 */
import type { Dispatcher } from 'undici';
import type { AssumeRoleWithWebIdentity } from '../credentials/types.js';
import { resolveEndpoint } from '../endpoint/resolve-endpoint.js';
import { QueryClient } from './client.js';
import { createDispatcher } from './http.js';

const STS_API_VERSION = '2011-06-15';
const STS_TIMEOUT_MS = 5000;

export function stsWebIdentityCaller(options: { env: NodeJS.ProcessEnv; dispatcher?: Dispatcher }): AssumeRoleWithWebIdentity {
  const { env, dispatcher } = options;
  return async ({ region, roleArn, sessionName, token }) => {
    const sts = resolveEndpoint({ region, service: 'sts', env });
    const own = dispatcher ? undefined : createDispatcher({ env });
    try {
      const client = new QueryClient({
        endpoint: sts.url,
        region: sts.signingRegion,
        service: 'sts',
        apiVersion: STS_API_VERSION,
        dispatcher: dispatcher ?? own!,
        timeout: STS_TIMEOUT_MS,
      });
      const { result } = await client.call('AssumeRoleWithWebIdentity', {
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        WebIdentityToken: token,
      });
      return result;
    } finally {
      await own?.close();
    }
  };
}
