/**
 * ECS task roles and EKS Pod Identity: the container credentials endpoint.
 *
 * Not configured: neither `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` nor `..._FULL_URI` is set. Once one
 * is set the source is configured and every failure ends the chain with ECREDENTIALS (aws-sdk-js-v3
 * `credential-provider-node` `remoteProvider.ts` then never considers instance metadata, and
 * `@smithy/credential-provider-imds` `fromContainerMetadata.ts` throws with `tryNextLink: false` for a
 * bad URI): a URI that is not allowed or a token file that cannot be read (not retryable), the agent
 * unreachable or answering 5xx (retryable), any other status or a bad document (not retryable),
 * credentials already expired (not retryable).
 */
import { readFile } from 'node:fs/promises';
import { isLoopbackHost } from '../endpoint/loopback.js';
import { metadataRequest, parseCredentialJson } from './metadata-http.js';
import { NotFound, checkCredentials, credentialsError, unexpired, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

const ECS_HOST = 'http://169.254.170.2';
const ALLOWED_HTTP_HOSTS = new Set(['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]', 'fd00:ec2::23']);
const FROM = 'the container credentials endpoint';

/** The URL to ask; {@link NotFound} when not configured. `relativeBase` exists for tests. */
function containerUrl(env: NodeJS.ProcessEnv, relativeBase = ECS_HOST): URL {
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return new URL(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, relativeBase);
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (!full) throw new NotFound('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set');
  let url: URL;
  try {
    url = new URL(full);
  } catch {
    throw credentialsError('AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (ALLOWED_HTTP_HOSTS.has(url.hostname) || isLoopbackHost(url.hostname))) return url;
  throw credentialsError(
    `AWS_CONTAINER_CREDENTIALS_FULL_URI host ${url.hostname} is not allowed over ${url.protocol} (HTTPS, loopback or the container agent's addresses only)`,
  );
}

async function authorization(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) {
    try {
      return (await readFile(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, 'utf8')).trim();
    } catch (err) {
      throw credentialsError(`cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, {
        cause: err,
      });
    }
  }
  return env.AWS_CONTAINER_AUTHORIZATION_TOKEN || undefined;
}

export function fromContainer(env: NodeJS.ProcessEnv, relativeBase?: string): CredentialSource {
  return {
    name: 'container credentials',
    async load(): Promise<Credentials> {
      const url = containerUrl(env, relativeBase);
      const token = await authorization(env); // re-read every time: the file is rotated
      const res = await metadataRequest({ method: 'GET', url, headers: token ? { authorization: token } : {} }, 3).catch((err: Error) => {
        throw credentialsError(`${url.host} did not answer (${err.message})`, { retryable: true, cause: err });
      });
      if (res.statusCode !== 200)
        throw credentialsError(`${url.host} answered HTTP ${res.statusCode}`, {
          retryable: res.statusCode >= 500 || res.statusCode === 429,
        });
      const doc = parseCredentialJson(res.body, FROM);
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
