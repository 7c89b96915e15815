// Runs the built CLI (dist/esm/cli/main.js; build first) as a child process with fake credentials and
// no instance metadata, in a HOME of the test's choosing.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FAKE_CREDENTIALS } from './fake-ses.js';

export const CLI = fileURLToPath(new URL('../../dist/esm/cli/main.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], home: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
          ...env,
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
