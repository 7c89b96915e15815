/**
 * The credentials the transport signs with: the `credentials` option when given, else the AWS chain.
 */
import { LocalCodes, SesError } from '../errors.js';
import type { Logger } from '../logger.js';
import { cacheCredentials } from './cache.js';
import { chain } from './chain.js';
import { fromEnv } from './env.js';
import { fromContainer } from './container.js';
import { fromInstanceMetadata } from './imds.js';
import { fromSharedFiles } from './shared-files.js';
import { fromWebIdentity } from './web-identity.js';
import { checkCredentials, unexpired, type CredentialSource } from './source.js';
import type { AssumeRoleWithWebIdentity, CredentialsOption, CredentialsProvider } from './types.js';

export type { Credentials, CredentialsOption, CredentialsProvider } from './types.js';

export interface CredentialsContext {
  env?: NodeJS.ProcessEnv;
  profile?: string;
  region?: string;
  logger?: Logger;
  /** The STS call for web identity (wire/sts.ts); without it a configured web identity fails. */
  assumeRoleWithWebIdentity?: AssumeRoleWithWebIdentity;
  /** Base URL for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (tests point it at loopback). */
  containerBase?: string;
}

export type NamedCredentialsProvider = CredentialsProvider & { readonly source: string | undefined };

/**
 * The default chain, in the AWS SDKs' order. An explicit `profile` option takes the environment keys
 * out of it, so the chosen profile wins over `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`. `AWS_PROFILE`
 * alone does not: followed botocore `credentials.py` `create_credential_resolver` (`disable_env_vars`
 * only for a profile set on the session), not aws-sdk-js-v3 `credential-provider-node`
 * `defaultProvider.ts` (which also skips the environment for `AWS_PROFILE`, with a warning that a
 * future version may prefer the environment keys). See the README.
 */
function defaultSources(context: CredentialsContext): CredentialSource[] {
  const env = context.env ?? process.env;
  return [
    ...(context.profile ? [] : [fromEnv(env, context.logger)]),
    fromSharedFiles(env, context.profile),
    fromWebIdentity(env, context.region, context.assumeRoleWithWebIdentity),
    fromContainer(env, context.containerBase),
    fromInstanceMetadata(env),
  ];
}

function fromOption(option: Exclude<CredentialsOption, undefined>): CredentialSource {
  if (typeof option !== 'function') {
    const fixed = checkCredentials(option, 'The "credentials" option');
    return { name: 'option', load: () => Promise.resolve(fixed) };
  }
  return {
    name: 'option (function)',
    async load() {
      let value: unknown;
      try {
        value = await option();
      } catch (err) {
        // The function's own error decides: an SesError it throws keeps its `retryable`.
        throw new SesError(`The "credentials" function failed: ${(err as Error)?.message ?? String(err)}`, {
          code: LocalCodes.CREDENTIALS,
          retryable: err instanceof SesError ? err.retryable : false,
          cause: err,
        });
      }
      return unexpired(checkCredentials(value, 'The "credentials" function'), 'The "credentials" function');
    },
  };
}

/** A cached provider; `source` tells where the credentials came from (never what they are). */
export function credentialsProvider(option: CredentialsOption | undefined, context: CredentialsContext = {}): NamedCredentialsProvider {
  let name: () => string | undefined;
  let load: () => Promise<import('./types.js').Credentials>;
  if (option !== undefined) {
    const source = fromOption(option);
    name = () => source.name;
    load = () => source.load();
  } else {
    const c = chain(defaultSources(context));
    name = () => c.winner;
    load = () => c.load();
  }
  const provider = cacheCredentials(load, { logger: context.logger });
  return Object.defineProperty(provider, 'source', { get: name, enumerable: true }) as NamedCredentialsProvider;
}
