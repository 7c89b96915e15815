#!/usr/bin/env node
/** `npx nodemailer-ses-query verify | send …`: the first five minutes, from a terminal. */
import { setFlagsFromString } from 'node:v8';
import { SesError } from 'nodemailer-ses-query';
import { HELP, UsageError, parseCli } from './args.js';
import { send, verify } from './commands.js';
import { template } from './template-command.js';

// One request, then exit. undici parses HTTP with WebAssembly; after its first use V8 optimises that
// code on a background thread, and Node waits for the job before the process can end (~100 ms and
// ~80 ms of CPU here, nodejs/node#36616). V8's baseline code is plenty for one answer. Set here, in
// the CLI's own process only (never by the library), before the first connection compiles the parser.
setFlagsFromString('--liftoff-only');

async function main(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const args = parseCli(argv);
    if (args.command === 'help') {
      out(HELP);
      return 0;
    }
    if (args.command === 'event-verify') await (await import('./event-command.js')).eventVerify(args, out);
    else await (args.command === 'verify' ? verify(args, out) : args.command === 'template' ? template(args, out) : send(args, out));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${HELP}`);
      return 2;
    }
    if (err instanceof SesError) {
      const details = [err.statusCode && `HTTP ${err.statusCode}`, err.requestId && `request ${err.requestId}`].filter(Boolean).join(', ');
      process.stderr.write(`error: ${err.code}: ${err.message}${details ? ` (${details})` : ''}\n`);
      return err.code === 'ECONFIG' ? 2 : 1;
    }
    process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
