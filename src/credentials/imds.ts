/**
 * EC2 instance metadata, IMDSv2 only: a session token, then the role name, then its credentials.
 * Skipped with AWS_EC2_METADATA_DISABLED=true; short timeouts so a laptop fails over fast.
 *
 * Not configured: disabled, nothing answers the token request (not on EC2), the token is refused
 * (4xx), or the instance has no role. Once the service has given a token, a failure is ECREDENTIALS:
 * 5xx or unreachable afterwards is retryable; a bad document or credentials already expired are not.
 *
 * No IMDSv1 fallback. botocore (`utils.py` `InstanceMetadataFetcher._fetch_metadata_token`) falls back
 * after 403/404/405 or a read timeout on the token; aws-sdk-js-v3 (`@smithy/credential-provider-imds`
 * `fromInstanceMetadata.ts`) also after other token failures unless `AWS_EC2_METADATA_V1_DISABLED`.
 * Token-less v1 requests are what SSRF attacks on instance credentials rely on, and AWS recommends
 * requiring v2, so this package never sends them.
 */
import { metadataRequest, parseCredentialJson } from './metadata-http.js';
import { NotFound, checkCredentials, credentialsError, unexpired, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

const DEFAULT_ENDPOINT = 'http://169.254.169.254';
const TOKEN_PATH = '/latest/api/token';
const ROLE_PATH = '/latest/meta-data/iam/security-credentials/';
const TOKEN_TTL_SECONDS = '21600';
const FROM = 'instance metadata';

export function fromInstanceMetadata(env: NodeJS.ProcessEnv): CredentialSource {
  return {
    name: 'EC2 instance metadata (IMDSv2)',
    async load(): Promise<Credentials> {
      if (env.AWS_EC2_METADATA_DISABLED?.toLowerCase() === 'true') throw new NotFound('AWS_EC2_METADATA_DISABLED is true');
      const base = env.AWS_EC2_METADATA_SERVICE_ENDPOINT || DEFAULT_ENDPOINT;
      const at = (path: string) => new URL(path, base.endsWith('/') ? base : `${base}/`);
      const host = new URL(base).host;
      const tokenRes = await metadataRequest({
        method: 'PUT',
        url: at(TOKEN_PATH),
        headers: { 'x-aws-ec2-metadata-token-ttl-seconds': TOKEN_TTL_SECONDS },
      }).catch((err: Error) => {
        throw new NotFound(`${host} did not answer (${err.message})`);
      });
      const failed = (what: string, status: number) =>
        credentialsError(`the ${what} request answered HTTP ${status}`, { retryable: status >= 500 || status === 429 });
      if (tokenRes.statusCode !== 200) {
        if (tokenRes.statusCode >= 500) throw failed('metadata token', tokenRes.statusCode);
        // Last in the chain either way; as "not found" the final error still lists every source.
        throw new NotFound(`the IMDSv2 token request answered HTTP ${tokenRes.statusCode} (IMDSv1 is not used, see README)`);
      }
      const headers = { 'x-aws-ec2-metadata-token': tokenRes.body.trim() };
      const unreachable = (err: Error) => {
        throw credentialsError(`${host} stopped answering (${err.message})`, { retryable: true, cause: err });
      };
      const roleRes = await metadataRequest({ method: 'GET', url: at(ROLE_PATH), headers }, 2).catch(unreachable);
      if (roleRes.statusCode === 404) throw new NotFound('the instance has no IAM role');
      if (roleRes.statusCode !== 200) throw failed('role', roleRes.statusCode);
      const role = roleRes.body.split('\n')[0]?.trim();
      if (!role) throw new NotFound('the instance has no IAM role');
      const credRes = await metadataRequest({ method: 'GET', url: at(ROLE_PATH + encodeURIComponent(role)), headers }, 2).catch(
        unreachable,
      );
      if (credRes.statusCode !== 200) throw failed('credentials', credRes.statusCode);
      const doc = parseCredentialJson(credRes.body, FROM);
      if (doc.Code !== undefined && doc.Code !== 'Success')
        throw credentialsError(`instance metadata says ${typeof doc.Code === 'string' ? doc.Code : JSON.stringify(doc.Code)}`);
      return unexpired(
        checkCredentials(
          { accessKeyId: doc.AccessKeyId, secretAccessKey: doc.SecretAccessKey, sessionToken: doc.Token, expiration: doc.Expiration },
          FROM,
        ),
        FROM,
      );
    },
  };
}
