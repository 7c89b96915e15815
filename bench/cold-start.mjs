// Cold start of one contender: a fresh process loads the contender (its module graph), builds the
// transport and sends one message. Started by run.mjs, which times spawn → the RESULT line:
//   node bench/cold-start.mjs '<json options>'
// In-process figures use performance.now(), which counts from this process's start.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const opts = JSON.parse(process.argv[2] ?? '{}');

async function main() {
  if (!opts.case) {
    // Node itself: the floor every contender's cold start includes.
    process.stdout.write(`RESULT ${JSON.stringify({ readyMs: performance.now() })}\n`);
    return;
  }
  const { MESSAGES } = await import('./lib/messages.mjs');
  const message = MESSAGES[opts.message ?? 'html']();
  const t0 = performance.now();
  const mod = await import(pathToFileURL(opts.case).href);
  const t1 = performance.now();
  const client = await mod.create({
    endpoint: opts.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    connections: 32,
  });
  const t2 = performance.now();
  const info = await client.send(message);
  const t3 = performance.now();
  if (!info) throw new Error('send resolved without info');
  process.stdout.write(
    `RESULT ${JSON.stringify({ startMs: t0, importMs: t1 - t0, createMs: t2 - t1, firstSendMs: t3 - t2, readyMs: t3 })}\n`,
  );
  await client.close();
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
