/**
 * `~/.aws/credentials` and `~/.aws/config`: static keys (with an optional session token) and
 * `credential_process`, for the profile from the option, `AWS_PROFILE` or `default`.
 * `role_arn`/`source_profile` and SSO profiles are not resolved here (see the README).
 *
 * Not configured (the chain moves on): no profile was chosen and there is no `default` section (or
 * neither file exists), or the section holds no credential settings at all (just `region`, say).
 * Configured but unusable (the chain stops with ECREDENTIALS): a profile chosen through the option or
 * `AWS_PROFILE` that does not exist (botocore `session.py` `get_scoped_config` raises
 * `ProfileNotFound` for an explicitly set profile), a file that cannot be read, half a key pair, a
 * failing `credential_process`, a `role_arn`/SSO profile.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseIni, type IniSections } from './ini.js';
import { fromProcess } from './process.js';
import { NotFound, credentialsError, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

export interface ProfileFiles {
  credentialsPath: string;
  configPath: string;
  profile: string;
  /** The profile was named (option or `AWS_PROFILE`), not the implicit `default`. */
  chosen: boolean;
}

function profileFiles(env: NodeJS.ProcessEnv, profile?: string): ProfileFiles {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    credentialsPath: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    configPath: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    profile: profile || env.AWS_PROFILE || 'default',
    chosen: Boolean(profile || env.AWS_PROFILE),
  };
}

/** The profile's settings: the config file's `[profile x]` (or `[default]`), overlaid by the credentials file's `[x]`. */
function profileSettings(config: IniSections, credentials: IniSections, profile: string): Record<string, string> | undefined {
  const fromConfig =
    section(config, profile === 'default' ? 'default' : `profile ${profile}`) ??
    (profile === 'default' ? section(config, 'profile default') : undefined);
  const fromCredentials = section(credentials, profile);
  if (!fromConfig && !fromCredentials) return undefined;
  return Object.assign(Object.create(null) as Record<string, string>, fromConfig, fromCredentials);
}

/** Own sections only: a profile named `constructor` must not find `Object.prototype.constructor`. */
function section(sections: IniSections, name: string): Record<string, string> | undefined {
  return Object.hasOwn(sections, name) ? sections[name] : undefined;
}

function readIniSync(path: string): IniSections {
  try {
    return parseIni(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

/** The profile's `region`, read synchronously (the transport needs it at construction). */
export function profileRegion(env: NodeJS.ProcessEnv, profile?: string): string | undefined {
  const files = profileFiles(env, profile);
  return profileSettings(readIniSync(files.configPath), {}, files.profile)?.region;
}

async function readIni(path: string): Promise<IniSections | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw credentialsError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseIni(text);
}

export function fromSharedFiles(env: NodeJS.ProcessEnv, profile?: string): CredentialSource {
  const files = profileFiles(env, profile);
  return {
    name: `shared files (profile ${files.profile})`,
    async load(): Promise<Credentials> {
      const [credentials, config] = await Promise.all([readIni(files.credentialsPath), readIni(files.configPath)]);
      const settings = profileSettings(config ?? {}, credentials ?? {}, files.profile);
      if (!settings) {
        const where =
          !credentials && !config
            ? `neither ${files.credentialsPath} nor ${files.configPath} exists`
            : `no profile "${files.profile}" in ${files.credentialsPath} or ${files.configPath}`;
        if (files.chosen) throw credentialsError(`the chosen profile "${files.profile}" does not exist: ${where}`);
        throw new NotFound(where);
      }
      const accessKeyId = settings.aws_access_key_id;
      const secretAccessKey = settings.aws_secret_access_key;
      if (accessKeyId && secretAccessKey) {
        const out: Credentials = { accessKeyId, secretAccessKey };
        if (settings.aws_session_token) out.sessionToken = settings.aws_session_token;
        return out;
      }
      if (accessKeyId || secretAccessKey) {
        throw credentialsError(
          `profile "${files.profile}" has ${accessKeyId ? 'aws_access_key_id but no aws_secret_access_key' : 'aws_secret_access_key but no aws_access_key_id'}`,
        );
      }
      if (settings.credential_process) return fromProcess(settings.credential_process, files.profile).load();
      if (
        settings.role_arn ||
        settings.source_profile ||
        settings.credential_source ||
        settings.web_identity_token_file ||
        settings.sso_session ||
        settings.sso_start_url
      ) {
        const kind =
          settings.role_arn || settings.source_profile || settings.credential_source || settings.web_identity_token_file
            ? 'role_arn'
            : 'SSO';
        throw credentialsError(
          `profile "${files.profile}" uses ${kind}, which this package does not resolve; pass a "credentials" function instead (see README)`,
        );
      }
      throw new NotFound(`profile "${files.profile}" has no keys and no credential_process`);
    },
  };
}
