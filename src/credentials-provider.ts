/**
 * The credentials a transport signs with, put together: the `credentials` option or the AWS chain
 * (credentials/), with web identity's STS call (wire/sts.ts) supplied from here, so that neither layer
 * imports the other.
 */
import type { Dispatcher } from 'undici';
import { credentialsProvider, type CredentialsContext, type NamedCredentialsProvider } from './credentials/index.js';
import type { CredentialsOption } from './credentials/types.js';
import { stsWebIdentityCaller } from './wire/sts.js';

export function createCredentialsProvider(
  option: CredentialsOption | undefined,
  context: CredentialsContext & { dispatcher?: Dispatcher } = {},
): NamedCredentialsProvider {
  const { dispatcher, ...rest } = context;
  const env = context.env ?? process.env;
  return credentialsProvider(option, {
    ...rest,
    assumeRoleWithWebIdentity: rest.assumeRoleWithWebIdentity ?? stsWebIdentityCaller({ env, dispatcher }),
  });
}
