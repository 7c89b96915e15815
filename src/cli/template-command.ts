/**
 * `nodemailer-ses-query template list | get NAME | put FILE | delete NAME | render NAME --data FILE`:
 * SES's stored templates as files a team keeps in its repository (ListTemplates, GetTemplate,
 * UpdateTemplate/CreateTemplate, DeleteTemplate, TestRenderTemplate). `get` prints the JSON that
 * `put` reads, so `get NAME > NAME.json` and `put NAME.json` round-trip.
 */
import { readFile } from 'node:fs/promises';
// From the main entry, not ../templates/: the CLI bundle must share the package's one SesError class.
import { SesTemplates } from 'nodemailer-ses-query';
import { UsageError, type CliArgs } from './args.js';
import { transportFor } from './commands.js';

type Out = (line: string) => void;

const ARITY: Record<string, number> = { list: 0, get: 1, put: 1, delete: 1, render: 1 };

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Throws UsageError for a template command that cannot run. */
function checkTemplateArgs(args: CliArgs): { sub: string; arg: string | undefined } {
  const [sub, arg, extra] = args.positionals;
  if (!sub || !(sub in ARITY))
    throw new UsageError('template needs one of: list, get NAME, put FILE, delete NAME, render NAME --data FILE');
  const n = ARITY[sub]!;
  if (n === 1 && !arg) throw new UsageError(`template ${sub} needs ${sub === 'put' ? 'a FILE' : 'a NAME'}`);
  if ((n === 0 && arg) || extra) throw new UsageError(`Unexpected argument "${n === 0 ? arg : extra}"`);
  if (sub === 'render' && !args.data) throw new UsageError('template render needs --data FILE');
  if (sub !== 'render' && args.data) throw new UsageError('--data is for template render');
  return { sub, arg };
}

export async function template(args: CliArgs, out: Out): Promise<void> {
  const { sub, arg } = checkTemplateArgs(args);
  // Read local files before any request, so a typo costs no call.
  const file = sub === 'put' ? SesTemplates.check(await readJson(arg!, 'template file')) : undefined;
  const data = sub === 'render' ? await readJson(args.data!, 'data file') : undefined;
  const transport = transportFor(args);
  try {
    const templates = transport.templates;
    switch (sub) {
      case 'list':
        for (const t of await templates.listAll()) out(`${t.name}\t${t.createdTimestamp?.toISOString() ?? ''}`);
        return;
      case 'get':
        out(JSON.stringify(await templates.get(arg!), null, 2));
        return;
      case 'put':
        out(`${await templates.put(file!)} ${file!.TemplateName}`);
        return;
      case 'delete':
        await templates.delete(arg!);
        out(`deleted ${arg}`);
        return;
      case 'render':
        out(await templates.testRender(arg!, data));
        return;
    }
  } finally {
    await transport.close();
  }
}
