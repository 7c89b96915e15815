/**
 * EC2 instance metadata, IMDSv2: a session token, then the role name, then its credentials.
 * Skipped with AWS_EC2_METADATA_DISABLED=true; short timeouts so a laptop fails over fast.
 */
import { metadataRequest, parseCredentialJson } from './metadata-http.js';
import { NotFound, checkCredentials, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

const DEFAULT_ENDPOINT = 'http://169.254.169.254';
const TOKEN_PATH = '/latest/api/token';
const ROLE_PATH = '/latest/meta-data/iam/security-credentials/';
const TOKEN_TTL_SECONDS = '21600';

export function fromInstanceMetadata(env: NodeJS.ProcessEnv): CredentialSource {
  return {
    name: 'EC2 instance metadata (IMDSv2)',
    async load(): Promise<Credentials> {
      if (env.AWS_EC2_METADATA_DISABLED?.toLowerCase() === 'true') throw new NotFound('AWS_EC2_METADATA_DISABLED is true');
      const base = env.AWS_EC2_METADATA_SERVICE_ENDPOINT || DEFAULT_ENDPOINT;
      const at = (path: string) => new URL(path, base.endsWith('/') ? base : `${base}/`);
      const unreachable = (err: Error) => {
        throw new NotFound(`${new URL(base).host} did not answer (${err.message})`);
      };
      const tokenRes = await metadataRequest({ method: 'PUT', url: at(TOKEN_PATH), headers: { 'x-aws-ec2-metadata-token-ttl-seconds': TOKEN_TTL_SECONDS } }).catch(unreachable);
      if (tokenRes.statusCode !== 200) throw new NotFound(`the metadata token request answered HTTP ${tokenRes.statusCode}`);
      const headers = { 'x-aws-ec2-metadata-token': tokenRes.body.trim() };
      const roleRes = await metadataRequest({ method: 'GET', url: at(ROLE_PATH), headers }, 2).catch(unreachable);
      if (roleRes.statusCode === 404) throw new NotFound('the instance has no IAM role');
      if (roleRes.statusCode !== 200) throw new NotFound(`the role request answered HTTP ${roleRes.statusCode}`);
      const role = roleRes.body.split('\n')[0]?.trim();
      if (!role) throw new NotFound('the instance has no IAM role');
      const credRes = await metadataRequest({ method: 'GET', url: at(ROLE_PATH + encodeURIComponent(role)), headers }, 2).catch(unreachable);
      if (credRes.statusCode !== 200) throw new NotFound(`the credentials request answered HTTP ${credRes.statusCode}`);
      const doc = parseCredentialJson(credRes.body, 'instance metadata');
      if (doc.Code !== undefined && doc.Code !== 'Success') throw new NotFound(`instance metadata says ${String(doc.Code)}`);
      return checkCredentials({ accessKeyId: doc.AccessKeyId, secretAccessKey: doc.SecretAccessKey, sessionToken: doc.Token, expiration: doc.Expiration }, 'instance metadata');
    },
  };
}
