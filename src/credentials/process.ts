/**
 * `credential_process`: runs the profile's command (through the shell, as the AWS CLI does) and reads
 * its JSON `{ Version: 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration }`. Its output may hold
 * secrets, so no error repeats it.
 */
import { exec } from 'node:child_process';
import { NotFound, checkCredentials, type CredentialSource } from './source.js';
import type { Credentials } from './types.js';

const TIMEOUT_MS = 60_000;

export function fromProcess(command: string, profile: string): CredentialSource {
  const name = `credential_process (profile ${profile})`;
  return {
    name,
    load(): Promise<Credentials> {
      return new Promise((resolve, reject) => {
        exec(command, { timeout: TIMEOUT_MS, maxBuffer: 1024 * 1024, windowsHide: true }, (error, stdout) => {
          if (error) {
            const how = error.killed ? `timed out after ${TIMEOUT_MS} ms` : `exited with code ${String(error.code ?? 'unknown')}`;
            reject(new NotFound(`${name}: the command ${how}`));
            return;
          }
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(stdout) as Record<string, unknown>;
          } catch {
            reject(new NotFound(`${name}: the command's output is not JSON`));
            return;
          }
          if (parsed.Version !== 1) {
            reject(new NotFound(`${name}: output Version must be 1`));
            return;
          }
          try {
            resolve(
              checkCredentials(
                { accessKeyId: parsed.AccessKeyId, secretAccessKey: parsed.SecretAccessKey, sessionToken: parsed.SessionToken, expiration: parsed.Expiration },
                name,
              ),
            );
          } catch (err) {
            reject(new NotFound((err as Error).message));
          }
        });
      });
    },
  };
}
