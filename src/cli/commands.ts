/** What the command line does: verify and send, through Nodemailer and the transport. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
// The package's own entry, by name: the CLI bundle loads the built package instead of a second copy of it.
import { SesQueryTransport } from 'nodemailer-ses-query';
import type { CliArgs } from './args.js';

type Out = (line: string) => void;

export function transportFor(args: CliArgs): SesQueryTransport {
  return new SesQueryTransport({
    ...(args.region ? { region: args.region } : {}),
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
    maxAttempts: 2,
  });
}

async function loadNodemailer(): Promise<{
  createTransport(t: unknown): { sendMail(m: unknown): Promise<{ messageId: string; response: string; action: string }>; close(): unknown };
}> {
  try {
    const mod = (await import('nodemailer')) as { default?: unknown };
    return (mod.default ?? mod) as Awaited<ReturnType<typeof loadNodemailer>>;
  } catch {
    throw new Error('nodemailer is not installed here: npm install nodemailer');
  }
}

export async function verify(args: CliArgs, out: Out): Promise<void> {
  const transport = transportFor(args);
  try {
    out(`region:       ${transport.region}`);
    out(`endpoint:     ${transport.endpoint.href}`);
    const quota = await transport.getSendQuota();
    out(`credentials:  ${transport.credentialSource ?? 'unknown'}`);
    out(`max rate:     ${quota.maxSendRate} messages/second`);
    out(`last 24 h:    ${quota.sentLast24Hours} sent of ${quota.max24HourSend < 0 ? 'unlimited' : quota.max24HourSend}`);
    out('OK: SES accepted these credentials for this region.');
  } finally {
    await transport.close();
  }
}

export async function send(args: CliArgs, out: Out): Promise<void> {
  const nodemailer = await loadNodemailer();
  const transport = transportFor(args);
  const transporter = nodemailer.createTransport(transport);
  try {
    const text = args.textFile ? await readFile(args.textFile, 'utf8') : args.text;
    const html = args.htmlFile ? await readFile(args.htmlFile, 'utf8') : undefined;
    const attachments = await Promise.all(args.attach.map(async (path) => ({ filename: basename(path), content: await readFile(path) })));
    const info = await transporter.sendMail({
      from: args.from,
      to: args.to,
      ...(args.cc.length ? { cc: args.cc } : {}),
      ...(args.bcc.length ? { bcc: args.bcc } : {}),
      subject: args.subject,
      ...(text !== undefined ? { text } : {}),
      ...(html !== undefined ? { html } : {}),
      ...(attachments.length ? { attachments } : {}),
      ...(args.configurationSet ? { ses: { ConfigurationSetName: args.configurationSet } } : {}),
    });
    out(`sent with ${info.action}: ${info.messageId}`);
  } finally {
    await transporter.close();
  }
}
