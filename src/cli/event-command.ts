/**
 * `nodemailer-ses-query event verify FILE --topic ARN`: checks a saved SNS message (the body SNS
 * POSTed) the way the receiver does, without handling it: topic, certificate host, signature. Prints
 * what the message is; a refusal is a `SesError` (exit 1). The events code is loaded through the
 * package's own `./events` entry, so the CLI bundle does not carry it.
 */
import { readFile } from 'node:fs/promises';
import { UsageError, type CliArgs } from './args.js';

type Out = (line: string) => void;

/** For tests: where the certificate may come from and how to reach it. */
export interface EventVerifyDeps {
  isSnsUrl?: (url: URL) => boolean;
  dispatcher?: unknown;
}

export async function eventVerify(args: CliArgs, out: Out, deps: EventVerifyDeps = {}): Promise<void> {
  // Without a topic every message would be refused as ESNSTOPIC (exit 1); that is a usage error (exit 2).
  if (!args.topics?.length) throw new UsageError('event verify needs --topic <arn> (the SNS topics the message may come from)');
  if (!args.file) throw new UsageError('usage: event verify <file> --topic <arn>');
  // A specifier in a variable, so that the bundler leaves it to Node (the package's own ./events entry)
  // rather than following tsconfig's paths into the source and bundling the events code a second time.
  const entry = 'nodemailer-ses-query/events';
  const { verifySnsBody, isPermanentBounce, addressesToSuppress } = (await import(entry)) as typeof import('nodemailer-ses-query/events');
  const body = await readFile(args.file);
  const { message, event } = await verifySnsBody(body, {
    topicArns: args.topics,
    ...(deps.isSnsUrl && { isSnsUrl: deps.isSnsUrl }),
    ...(deps.dispatcher !== undefined && { dispatcher: deps.dispatcher as never }),
  });
  const ageSeconds = Math.round((Date.now() - Date.parse(message.Timestamp)) / 1000);
  out(`verified:     SNS ${message.Type} ${message.MessageId}`);
  out(`topic:        ${message.TopicArn}`);
  out(`signature:    version ${message.SignatureVersion}, certificate ${message.SigningCertURL}`);
  out(`sent:         ${message.Timestamp} (${ageSeconds} s ago)`);
  if (message.Type === 'SubscriptionConfirmation') out(`subscribe:    ${message.SubscribeURL}`);
  if (!event) return;
  out(`ses event:    ${event.type} for message ${event.messageId}`);
  for (const r of event.recipients)
    out(`recipient:    ${r.emailAddress}${r.status ? ` ${r.status}` : ''}${r.diagnosticCode ? ` (${r.diagnosticCode})` : ''}`);
  if (event.type === 'Bounce') out(`permanent:    ${isPermanentBounce(event) ? 'yes' : 'no'}`);
  const suppress = addressesToSuppress(event);
  if (suppress.length > 0) out(`suppress:     ${suppress.join(', ')}`);
}
