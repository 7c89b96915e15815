/**
 * `credential_process`: runs the profile's command (through the shell, as the AWS CLI does) and reads
 * its JSON `{ Version: 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration }`. Its output may hold
 * secrets, so no error repeats it.
 *
 * The profile chose this command, so any failure ends the chain with ECREDENTIALS, not retryable:
 * a crash, a timeout, output that is not the documented JSON, or credentials already expired
 * (botocore `credentials.py` `ProcessProvider._retrieve_credentials_using` raises
 * `CredentialRetrievalError`; aws-sdk-js-v3 `credential-provider-process` `getValidatedProcessCredentials`
 * refuses an `Expiration` in the past).
 */
import { exec } from 'node:child_process';
import { checkCredentials, credentialsError, unexpired, type CredentialSource } from './source.js';
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
            reject(credentialsError(`${name}: the command ${how}`));
            return;
          }
          let parsed: Record<string, unknown> | null;
          try {
            parsed = JSON.parse(stdout) as Record<string, unknown> | null;
          } catch {
            parsed = null;
          }
          if (!parsed || typeof parsed !== 'object') {
            reject(credentialsError(`${name}: the command's output is not JSON`));
            return;
          }
          if (parsed.Version !== 1) {
            reject(credentialsError(`${name}: output Version must be 1`));
            return;
          }
          try {
            const credentials = checkCredentials(
              {
                accessKeyId: parsed.AccessKeyId,
                secretAccessKey: parsed.SecretAccessKey,
                sessionToken: parsed.SessionToken,
                expiration: parsed.Expiration,
              },
              name,
            );
            resolve(unexpired(credentials, name));
          } catch (err) {
            reject(err);
          }
        });
      });
    },
  };
}
