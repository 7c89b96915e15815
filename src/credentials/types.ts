/** AWS credentials as every source yields them. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary credentials (STS, SSO, container, instance metadata, Lambda). */
  sessionToken?: string;
  /** When temporary credentials stop working; absent for long-term keys. */
  expiration?: Date;
}

/**
 * What the rest of the package asks for credentials. Cheap to call on every request: a cached
 * value is returned until it is within the refresh window of its expiration.
 * `forceRefresh` is used after SES answered `ExpiredToken` / `InvalidClientTokenId`.
 */
export type CredentialsProvider = (options?: { forceRefresh?: boolean }) => Promise<Credentials>;

/** What a user may pass as the `credentials` option. */
export type CredentialsOption = Credentials | (() => Credentials | Promise<Credentials>);

/** The STS call web identity needs, supplied by the caller (wire/sts.ts): resolves with the `AssumeRoleWithWebIdentityResult` element. */
export type AssumeRoleWithWebIdentity = (request: {
  region: string;
  roleArn: string;
  sessionName: string;
  token: string;
}) => Promise<Record<string, unknown>>;
