/**
 * `~/.aws/credentials` and `~/.aws/config`: static keys (with an optional session token) and
 * `credential_process`, for the profile from the option, `AWS_PROFILE` or `default`.
 * `role_arn`/`source_profile` and SSO profiles are not resolved here (see the README).
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseIni, type IniSections } from './ini.js';
import { fromProcess } from './process.js';
import { NotFound, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

export interface ProfileFiles {
  credentialsPath: string;
  configPath: string;
  profile: string;
}

export function profileFiles(env: NodeJS.ProcessEnv, profile?: string): ProfileFiles {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    credentialsPath: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    configPath: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    profile: profile || env.AWS_PROFILE || 'default',
  };
}

/** The profile's settings: the config file's `[profile x]` (or `[default]`), overlaid by the credentials file's `[x]`. */
export function profileSettings(config: IniSections, credentials: IniSections, profile: string): Record<string, string> | undefined {
  const fromConfig = config[profile === 'default' ? 'default' : `profile ${profile}`] ?? (profile === 'default' ? config['profile default'] : undefined);
  const fromCredentials = credentials[profile];
  if (!fromConfig && !fromCredentials) return undefined;
  return { ...fromConfig, ...fromCredentials };
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
    throw new NotFound(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseIni(text);
}

export function fromSharedFiles(env: NodeJS.ProcessEnv, profile?: string): CredentialSource {
  const files = profileFiles(env, profile);
  return {
    name: `shared files (profile ${files.profile})`,
    async load(): Promise<Credentials> {
      const [credentials, config] = await Promise.all([readIni(files.credentialsPath), readIni(files.configPath)]);
      if (!credentials && !config) throw new NotFound(`neither ${files.credentialsPath} nor ${files.configPath} exists`);
      const settings = profileSettings(config ?? {}, credentials ?? {}, files.profile);
      if (!settings) throw new NotFound(`no profile "${files.profile}" in ${files.credentialsPath} or ${files.configPath}`);
      const accessKeyId = settings.aws_access_key_id;
      const secretAccessKey = settings.aws_secret_access_key;
      if (accessKeyId && secretAccessKey) {
        const out: Credentials = { accessKeyId, secretAccessKey };
        if (settings.aws_session_token) out.sessionToken = settings.aws_session_token;
        return out;
      }
      if (accessKeyId || secretAccessKey) {
        throw new NotFound(`profile "${files.profile}" has ${accessKeyId ? 'aws_access_key_id but no aws_secret_access_key' : 'aws_secret_access_key but no aws_access_key_id'}`);
      }
      if (settings.credential_process) return fromProcess(settings.credential_process, files.profile).load();
      if (settings.role_arn || settings.sso_session || settings.sso_start_url) {
        throw new NotFound(`profile "${files.profile}" uses ${settings.role_arn ? 'role_arn' : 'SSO'}, which this package does not resolve; pass a "credentials" function instead (see README)`);
      }
      throw new NotFound(`profile "${files.profile}" has no keys and no credential_process`);
    },
  };
}
