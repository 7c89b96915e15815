// `nodemailer-ses-query event verify FILE --topic ARN`: the command in process against the loopback SNS
// stand-in, and the built CLI (when built) refusing a certificate URL that is not SNS's.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesError } from '../../src/index.js';
import { UsageError, parseCli } from '../../src/cli/args.js';
import { eventVerify } from '../../src/cli/event-command.js';
import { TOPIC, startFakeSns, type FakeSns } from './support/fake-sns.js';

let sns: FakeSns;
let dir: string;
beforeAll(async () => {
  sns = await startFakeSns();
  dir = mkdtempSync(join(tmpdir(), 'event-verify-'));
});
afterAll(async () => {
  await sns?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bounce = JSON.stringify({
  notificationType: 'Bounce',
  bounce: {
    bounceType: 'Permanent',
    bounceSubType: 'General',
    bouncedRecipients: [{ emailAddress: 'jane@example.com', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
    timestamp: '2026-01-01T00:00:00.000Z',
    feedbackId: 'f',
  },
  mail: { timestamp: '2026-01-01T00:00:00.000Z', messageId: 'ses-id-1', source: 'app@example.com', destination: ['jane@example.com'] },
});

function save(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

async function run(argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  await eventVerify(parseCli(argv), (l) => lines.push(l), { isSnsUrl: (u) => sns.isSnsUrl(u), dispatcher: sns.dispatcher });
  return lines;
}

describe('event verify', () => {
  it('parses event verify FILE --topic ARN, and asks for what is missing', () => {
    expect(parseCli(['event', 'verify', 'm.json', '--topic', TOPIC])).toMatchObject({
      command: 'event-verify',
      file: 'm.json',
      topics: [TOPIC],
    });
    expect(() => parseCli(['event', 'verify', 'm.json'])).toThrow(UsageError);
    expect(() => parseCli(['event', 'check', 'm.json', '--topic', TOPIC])).toThrow(UsageError);
    expect(() => parseCli(['event', 'verify', '--topic', TOPIC])).toThrow(UsageError);
  });

  it('prints a verified message and the SES event in it, however old the saved message is', async () => {
    const file = save('bounce.json', sns.signed({ Message: bounce, Timestamp: '2026-01-01T00:00:00.000Z' }, '1'));
    const lines = await run(['event', 'verify', file, '--topic', TOPIC]);
    expect(lines[0]).toMatch(/^verified: +SNS Notification /);
    expect(lines).toContain(`topic:        ${TOPIC}`);
    expect(lines).toContain('ses event:    Bounce for message ses-id-1');
    expect(lines).toContain('permanent:    yes');
    expect(lines).toContain('suppress:     jane@example.com');
  });

  it('is a usage error (exit 2) to verify without --topic, even when called directly', async () => {
    const file = save('no-topic.json', sns.signed({ Message: bounce }));
    await expect(eventVerify({ ...parseCli(['event', 'verify', file, '--topic', TOPIC]), topics: [] }, () => {})).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(
      eventVerify({ ...parseCli(['event', 'verify', file, '--topic', TOPIC]), topics: undefined }, () => {}),
    ).rejects.toBeInstanceOf(UsageError);
  });

  it('refuses a changed message and a topic not given', async () => {
    const m = sns.signed({ Message: bounce });
    const tampered = save('tampered.json', { ...m, Message: bounce.replace('jane@', 'june@') });
    await expect(run(['event', 'verify', tampered, '--topic', TOPIC])).rejects.toMatchObject({ code: 'ESNSSIGNATURE' });
    const other = save('other.json', m);
    const err = await run(['event', 'verify', other, '--topic', 'arn:aws:sns:eu-west-1:123456789012:other']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SesError);
    expect((err as SesError).code).toBe('ESNSTOPIC');
  });
});

const cli = fileURLToPath(new URL('../../dist/esm/cli/main.js', import.meta.url));
describe.skipIf(!existsSync(cli))('event verify, built CLI', () => {
  it('exits 1 with ESNSCERTHOST for a certificate URL that is not on the topic SNS host (no fetch)', async () => {
    const file = save('loopback.json', sns.signed({ Message: bounce }));
    const before = sns.requests.length;
    const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [cli, 'event', 'verify', file, '--topic', TOPIC], (err, _out, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code) : 0, stderr }),
      ),
    );
    expect(r.stderr).toMatch(/ESNSCERTHOST/);
    expect(r.code).toBe(1);
    expect(sns.requests.length).toBe(before);
  });
});
