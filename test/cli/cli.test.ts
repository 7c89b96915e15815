// The command line, run as a child process from the built package against the fake SES.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';
import { runCli, type CliRun } from '../support/run-cli.js';

let fake: FakeSes;
let dir: string;

function run(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, dir, env);
}

beforeAll(async () => {
  fake = await startFakeSes({ region: 'eu-west-1' });
  dir = mkdtempSync(join(tmpdir(), 'ses-cli-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('nodemailer-ses-query', () => {
  it('verify prints region, endpoint, the credential source and the quota, never the secret', async () => {
    const r = await run(['verify', '--region', 'eu-west-1', '--endpoint', fake.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('region:       eu-west-1');
    expect(r.stdout).toContain(`endpoint:     ${fake.url}/`);
    expect(r.stdout).toContain('credentials:  environment');
    expect(r.stdout).toContain('max rate:     14 messages/second');
    expect(r.stdout + r.stderr).not.toContain(FAKE_CREDENTIALS.secretAccessKey);
  });

  it('send sends one message with an attachment and a configuration set, and prints its id', async () => {
    const file = join(dir, 'report.txt');
    writeFileSync(file, 'report body');
    const r = await run([
      'send',
      '--region',
      'eu-west-1',
      '--endpoint',
      fake.url,
      '--from',
      'a@example.com',
      '--to',
      'b@example.org,c@example.org',
      '--subject',
      'Report',
      '--text',
      'see attached',
      '--attach',
      file,
      '--configuration-set',
      'cli-set',
    ]);
    expect(r.code).toBe(0);
    const req = fake.requests.at(-1)!;
    expect(r.stdout.trim()).toBe(`sent with SendRawEmail: <${fake.accepted.at(-1)!.messageId}@eu-west-1.amazonses.com>`);
    expect(req.params).toMatchObject({ ConfigurationSetName: 'cli-set', 'Destinations.member.2': 'c@example.org' });
    expect(req.rawMime).toContain('filename=report.txt');
  });

  it('answers usage errors with exit code 2 and help', async () => {
    const r = await run(['send', '--to', 'b@example.org']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('send needs --from');
    expect(r.stderr).toContain('Usage: nodemailer-ses-query');
    expect((await run(['frobnicate'])).code).toBe(2);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Commands:');
  });

  it('reports SES errors readably with exit code 1', async () => {
    const r = await run(['verify', '--region', 'eu-west-1', '--endpoint', fake.url], { AWS_SECRET_ACCESS_KEY: 'wrong' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: SignatureDoesNotMatch: .*\(HTTP 403, request req-\d+\)/);
  });
});
