// Import cost of modules in a fresh process:
//   node bench/import-cost.mjs <specifier[,specifier…]> [import|require]
// Specifiers (loaded in order) resolve from this directory, so from the project's node_modules.
// Prints `RESULT <json>` with the milliseconds the loads took and the RSS after them.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const [list = '', how = 'import'] = process.argv.slice(2);
const specifiers = list.split(',').filter(Boolean);
const require = createRequire(import.meta.url);
const t0 = performance.now();
for (const specifier of specifiers) {
  if (how === 'require') require(specifier);
  else await import(specifier);
}
const ms = performance.now() - t0;
process.stdout.write(`RESULT ${JSON.stringify({ specifiers, how, ms, rssMB: process.memoryUsage().rss / 1048576 })}\n`);
