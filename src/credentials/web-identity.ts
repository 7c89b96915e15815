/**
 * Web identity (EKS IRSA and similar): an unsigned AssumeRoleWithWebIdentity call to STS, made with
 * the same query encoder, client and XML reader as the SES calls.
 *
 * Not configured: `AWS_WEB_IDENTITY_TOKEN_FILE` is not set. Configured but failing (the chain stops,
 * never falling through to the container or instance identity): the token file is set without
 * `AWS_ROLE_ARN` (botocore `credentials.py` `AssumeRoleWithWebIdentityProvider` raises
 * `InvalidConfigError`) or cannot be read, STS refuses (not retryable) or is down, throttling or
 * unreachable (retryable, as STS's own error says), or STS hands out expired credentials.
 */
import { readFile } from 'node:fs/promises';
import { SesError } from '../errors.js';
import { NotFound, checkCredentials, credentialsError, unexpired, type CredentialSource } from './source.js';
import type { AssumeRoleWithWebIdentity, Credentials } from './types.js';

const FROM = 'STS AssumeRoleWithWebIdentity';

export function fromWebIdentity(
  env: NodeJS.ProcessEnv,
  region: string | undefined,
  assumeRole: AssumeRoleWithWebIdentity | undefined,
): CredentialSource {
  return {
    name: 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE)',
    async load(): Promise<Credentials> {
      const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE;
      const roleArn = env.AWS_ROLE_ARN;
      if (!tokenFile) throw new NotFound('AWS_WEB_IDENTITY_TOKEN_FILE is not set');
      if (!roleArn) throw credentialsError('AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not');
      if (!assumeRole) throw credentialsError('web identity is configured, but no STS caller was supplied');
      let token: string;
      try {
        token = (await readFile(tokenFile, 'utf8')).trim();
      } catch (err) {
        throw credentialsError(`cannot read AWS_WEB_IDENTITY_TOKEN_FILE: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, {
          cause: err,
        });
      }
      let result: Record<string, unknown>;
      try {
        result = await assumeRole({
          region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
          roleArn,
          sessionName: env.AWS_ROLE_SESSION_NAME || `nodemailer-ses-query-${Date.now()}`,
          token,
        });
      } catch (err) {
        // STS's classification says whether trying later can help (5xx, throttling, network: yes;
        // InvalidIdentityToken, AccessDenied: no). botocore `data/_retry.json` also retries
        // IDPCommunicationError for STS: the identity provider was unreachable.
        const e = err as SesError;
        const retryable = err instanceof SesError ? e.retryable || e.code === 'IDPCommunicationError' : false;
        const detail =
          err instanceof SesError
            ? `${e.code}${e.statusCode ? ` (HTTP ${e.statusCode})` : ''}: ${e.message}`
            : String((err as Error)?.message ?? err);
        throw credentialsError(`${FROM} failed: ${detail}`, { retryable, cause: err });
      }
      const c = (result.Credentials ?? {}) as Record<string, unknown>;
      return unexpired(
        checkCredentials(
          { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration },
          FROM,
        ),
        FROM,
      );
    },
  };
}
