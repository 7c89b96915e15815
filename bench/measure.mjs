// One contender in its own process (so peak RSS and module caches are its own). Started by run.mjs:
//   node --expose-gc bench/measure.mjs '<json options>'
// modes:
//   throughput  warm up, then `n1` messages one at a time and `n32` with `concurrency` in flight:
//               messages/s, CPU ms per message (process.cpuUsage), latency p50/p99, peak RSS
//   big         one ordinary message (warm), then one message with the 5 MB attachment: its CPU,
//               wall time and the process's peak RSS
// Writes one line `RESULT <json>` on stdout.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { MESSAGES } from './lib/messages.mjs';

const opts = JSON.parse(process.argv[2] ?? '{}');
const gc = globalThis.gc ?? (() => {});

function cpuMs(since) {
  const d = process.cpuUsage(since);
  return { user: d.user / 1000, system: d.system / 1000, total: (d.user + d.system) / 1000 };
}

const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Sends `n` messages with `concurrency` in flight; every send must succeed. */
async function phase(client, makeMessage, n, concurrency) {
  const latencies = new Float64Array(n);
  let next = 0;
  gc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  async function worker() {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      const info = await client.send(makeMessage());
      latencies[i] = performance.now() - s;
      if (!info) throw new Error('send resolved without info');
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const wallMs = performance.now() - t0;
  const cpu = cpuMs(cpu0);
  latencies.sort();
  return {
    messages: n,
    concurrency,
    wallMs,
    msgsPerSec: n / (wallMs / 1000),
    cpuMsPerMsg: cpu.total / n,
    userMsPerMsg: cpu.user / n,
    systemMsPerMsg: cpu.system / n,
    latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies[n - 1] },
  };
}

async function main() {
  const mod = await import(pathToFileURL(opts.case).href);
  const client = await mod.create({
    endpoint: opts.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    connections: opts.connections ?? 32,
  });
  const result = { case: opts.case, title: mod.title, mode: opts.mode };
  try {
    if (opts.mode === 'big') {
      // Warm: one small message over the same path as the big one (MIME with an attachment), then a
      // pause, so the figure is the big message's own and not the tail of one-time work the first
      // message started (V8 optimising undici's WebAssembly HTTP parser on background threads
      // costs ~80 ms of CPU, measured per thread).
      const makeSmall = MESSAGES[opts.message ?? 'att'];
      await client.send(makeSmall());
      await new Promise((resolve) => setTimeout(resolve, opts.settleMs ?? 500));
      const message = MESSAGES.big();
      gc();
      const rss0 = peakRssMB();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const info = await client.send(message);
      const wallMs = performance.now() - t0;
      const cpu = cpuMs(cpu0);
      if (!info) throw new Error('send resolved without info');
      Object.assign(result, { cpuMs: cpu.total, wallMs, peakRssMB: peakRssMB(), peakRssBeforeMB: rss0 });
    } else {
      const make = MESSAGES[opts.message ?? 'html'];
      const warm = opts.warmup ?? 0;
      if (warm > 0) {
        await phase(client, make, Math.ceil(warm / 2), 1);
        await phase(client, make, Math.ceil(warm / 2), opts.concurrency ?? 32);
      }
      result.c1 = await phase(client, make, opts.n1, 1);
      result.c32 = await phase(client, make, opts.n32, opts.concurrency ?? 32);
      result.peakRssMB = peakRssMB();
    }
  } finally {
    await client.close();
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  if (err?.cause) process.stderr.write(`cause: ${err.cause?.stack ?? err.cause}\n`);
  process.exitCode = 1;
});
