/** The command line's words: parsing and help. Knows nothing of SES. */
import { parseArgs } from 'node:util';

export const HELP = `Usage: nodemailer-ses-query <command> [options]

Commands:
  verify                 Check region, endpoint and credentials with a signed GetSendQuota call
                         (sends no mail) and print the sending quota.
  send                   Send one message and print its message id.
  template list | get NAME | put FILE | delete NAME | render NAME --data FILE
                         SES's stored templates: list names, print one as JSON, create or
                         update one from a JSON file, delete one, render one with data.
  event verify <file>    Verify a saved SNS message (SES event) for --topic <arn>: signature,
                         certificate host, topic; prints the event. Repeat --topic to allow several.

Common options:
  --region <name>        AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
  --endpoint <url>       SES endpoint, e.g. http://127.0.0.1:8005 for a local emulator
  --profile <name>       Profile in ~/.aws/credentials and ~/.aws/config
  -h, --help             Show this help

send options:
  --from <address>       Sender (required)
  --to <address>         Recipient; repeat or separate with commas (required)
  --cc <address>         Cc recipient; repeatable
  --bcc <address>        Bcc recipient; repeatable
  --subject <text>       Subject (required)
  --text <text>          Plain-text body
  --text-file <path>     Plain-text body from a file
  --html-file <path>     HTML body from a file
  --attach <path>        Attach a file; repeatable
  --configuration-set <name>  SES configuration set

template options:
  --data <path>          JSON file with the template data (render)

Exit codes: 0 done, 1 SES or network error, 2 bad usage.
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliArgs {
  command: 'verify' | 'send' | 'template' | 'help' | 'event-verify';
  /** Words after the command (`template get NAME`). */
  positionals: string[];
  data?: string;
  /** event verify: the saved SNS message and the topics it may come from. */
  file?: string;
  topics?: string[];
  region?: string;
  endpoint?: string;
  profile?: string;
  from?: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject?: string;
  text?: string;
  textFile?: string;
  htmlFile?: string;
  attach: string[];
  configurationSet?: string;
}

const list = (values: string[] | undefined) =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        profile: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string', multiple: true },
        cc: { type: 'string', multiple: true },
        bcc: { type: 'string', multiple: true },
        subject: { type: 'string' },
        text: { type: 'string' },
        'text-file': { type: 'string' },
        'html-file': { type: 'string' },
        attach: { type: 'string', multiple: true },
        'configuration-set': { type: 'string' },
        data: { type: 'string' },
        topic: { type: 'string', multiple: true },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (!values.help && positionals[0] === 'event') {
    if (positionals[1] !== 'verify' || !positionals[2] || positionals.length > 3)
      throw new UsageError('usage: event verify <file> --topic <arn>');
    if (!values.topic?.length) throw new UsageError('event verify needs --topic');
    return {
      command: 'event-verify',
      positionals: [],
      file: positionals[2],
      topics: list(values.topic),
      to: [],
      cc: [],
      bcc: [],
      attach: [],
    };
  }
  const command = values.help || positionals.length === 0 ? 'help' : positionals[0];
  if (command !== 'help' && command !== 'verify' && command !== 'send' && command !== 'template')
    throw new UsageError(`Unknown command "${command}"`);
  if (positionals.length > 1 && command !== 'template') throw new UsageError(`Unexpected argument "${positionals[1]}"`);
  const args: CliArgs = {
    command,
    positionals: positionals.slice(1),
    data: values.data,
    region: values.region,
    endpoint: values.endpoint,
    profile: values.profile,
    from: values.from,
    to: list(values.to),
    cc: list(values.cc),
    bcc: list(values.bcc),
    subject: values.subject,
    text: values.text,
    textFile: values['text-file'],
    htmlFile: values['html-file'],
    attach: values.attach ?? [],
    configurationSet: values['configuration-set'],
  };
  if (command === 'send') {
    if (!args.from) throw new UsageError('send needs --from');
    if (args.to.length === 0) throw new UsageError('send needs --to');
    if (args.subject === undefined) throw new UsageError('send needs --subject');
    if (args.text === undefined && !args.textFile && !args.htmlFile) throw new UsageError('send needs --text, --text-file or --html-file');
    if (args.text !== undefined && args.textFile) throw new UsageError('give --text or --text-file, not both');
  }
  return args;
}
