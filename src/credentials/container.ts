/**
 * ECS task roles and EKS Pod Identity: the container credentials endpoint.
 */
import { readFile } from 'node:fs/promises';
import { isLoopbackHost } from '../endpoint/loopback.js';
import { metadataRequest, parseCredentialJson } from './metadata-http.js';
import { NotFound, checkCredentials, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

export const ECS_HOST = 'http://169.254.170.2';
const ALLOWED_HTTP_HOSTS = new Set(['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]', 'fd00:ec2::23']);

/** The URL to ask, or a reason there is none. `relativeBase` exists for tests. */
export function containerUrl(env: NodeJS.ProcessEnv, relativeBase = ECS_HOST): URL {
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return new URL(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, relativeBase);
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (!full) throw new NotFound('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set');
  let url: URL;
  try {
    url = new URL(full);
  } catch {
    throw new NotFound('AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (ALLOWED_HTTP_HOSTS.has(url.hostname) || isLoopbackHost(url.hostname))) return url;
  throw new NotFound(`AWS_CONTAINER_CREDENTIALS_FULL_URI host ${url.hostname} is not allowed over ${url.protocol} (HTTPS, loopback or the container agent's addresses only)`);
}

async function authorization(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) {
    try {
      return (await readFile(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, 'utf8')).trim();
    } catch (err) {
      throw new NotFound(`cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
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
        throw new NotFound(`${url.host} did not answer (${err.message})`);
      });
      if (res.statusCode !== 200) throw new NotFound(`${url.host} answered HTTP ${res.statusCode}`);
      const doc = parseCredentialJson(res.body, 'the container credentials endpoint');
      return checkCredentials({ accessKeyId: doc.AccessKeyId, secretAccessKey: doc.SecretAccessKey, sessionToken: doc.Token, expiration: doc.Expiration }, 'the container credentials endpoint');
    },
  };
}
