#!/usr/bin/env node
// `npm run bench`: this transport side by side with Nodemailer's SES transport (client-sesv2), the
// hand-rolled client-ses setup and the floor, against one local SES-like server, in one invocation.
// See bench/README.md for what each figure means. Targets are printed as information only: the exit
// code is non-zero only when the harness itself fails (a contender errors, the server does not start).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { footprint } from './footprint.mjs';
import { messageSizes } from './lib/messages.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
const DIST = join(ROOT, 'dist', 'esm', 'index.js');
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

// ---------------------------------------------------------------- options

const DEFAULTS = { n1: 1500, n32: 6000, warmup: 400, rounds: 3, concurrency: 32, cold: 9, big: 3, importRuns: 5 };
const QUICK = { n1: 10, n32: 64, warmup: 8, rounds: 1, concurrency: 32, cold: 1, big: 1, importRuns: 1 };

function parseArgs(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`Unexpected argument ${a} (see bench/README.md)`);
    const eq = a.indexOf('=');
    if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
    else if (a.startsWith('--no-')) flags[a.slice(5)] = false;
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) flags[a.slice(2)] = argv[++i];
    else flags[a.slice(2)] = true;
  }
  return flags;
}

function options() {
  const flags = parseArgs(process.argv.slice(2));
  const env = process.env;
  if (flags.help) {
    log(readFileSync(join(BENCH, 'README.md'), 'utf8'));
    process.exit(0);
  }
  const quick = flags.quick === true || env.BENCH_QUICK === '1';
  const base = quick ? QUICK : DEFAULTS;
  const num = (flag, envName, key = flag) => {
    const raw = flags[flag] ?? env[envName];
    if (raw === undefined) return base[key];
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a whole number, got ${raw}`);
    return n;
  };
  const list = (raw) =>
    raw === undefined || raw === true
      ? []
      : String(raw)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const o = {
    quick,
    build: flags.build !== false && env.BENCH_BUILD !== '0',
    n1: num('n1', 'BENCH_N1'),
    n32: num('n32', 'BENCH_N32'),
    warmup: num('warmup', 'BENCH_WARMUP'),
    rounds: Math.max(1, num('rounds', 'BENCH_ROUNDS')),
    concurrency: Math.max(1, num('concurrency', 'BENCH_CONCURRENCY')),
    cold: num('cold', 'BENCH_COLD'),
    big: num('big', 'BENCH_BIG'),
    importRuns: num('import-runs', 'BENCH_IMPORT_RUNS', 'importRuns'),
    only: list(flags.only ?? env.BENCH_ONLY),
    skip: list(flags.skip ?? env.BENCH_SKIP),
    out: resolve(String(flags.out ?? env.BENCH_OUT ?? join(BENCH, 'results.json'))),
  };
  for (const s of o.skip) {
    if (!['throughput', 'big', 'cold', 'imports', 'footprint', 'templates'].includes(s))
      throw new Error(`--skip takes throughput,big,cold,imports,footprint,templates; got ${s}`);
  }
  return o;
}

// ---------------------------------------------------------------- contenders

const CASES = join(BENCH, 'cases');
/** Throughput rows. `expect` is the server counter every request of the row must land in. */
const ROWS = [
  { id: 'A', file: 'a-ses-query-sendemail.mjs', message: 'html', ours: true, expect: 'SendEmail', vs: 'C' },
  { id: 'B', file: 'b-ses-query-sendrawemail.mjs', message: 'att', ours: true, expect: 'SendRawEmail', vs: 'C+att' },
  { id: 'C', file: 'c-nodemailer-sesv2.mjs', message: 'html', expect: 'v2SendEmail', vs: 'C' },
  { id: 'C+att', file: 'c-nodemailer-sesv2.mjs', message: 'att', expect: 'v2SendEmail', vs: 'C+att' },
  { id: 'D', file: 'd-sdk-ses-raw.mjs', message: 'html', expect: 'SendRawEmail', vs: 'C' },
  { id: 'D+att', file: 'd-sdk-ses-raw.mjs', message: 'att', expect: 'SendRawEmail', vs: 'C+att' },
  { id: 'F', file: 'f-floor.mjs', message: 'html', expect: 'SendEmail', vs: 'C' },
  { id: 'F1', file: 'f-noop.mjs', message: 'html', expect: null, vs: 'C' },
  { id: 'F2', file: 'f-post.mjs', message: 'html', expect: 'SendEmail', vs: 'C' },
  { id: 'F1+att', file: 'f-mime.mjs', message: 'att', expect: null, vs: 'C+att' },
];
const BIG = [
  { id: 'ours', file: 'b-ses-query-sendrawemail.mjs', ours: true },
  { id: 'C', file: 'c-nodemailer-sesv2.mjs' },
  { id: 'D', file: 'd-sdk-ses-raw.mjs' },
];
const COLD = [
  { id: 'node', file: null, message: 'html' },
  { id: 'A', file: 'a-ses-query-sendemail.mjs', message: 'html', ours: true },
  { id: 'B', file: 'b-ses-query-sendrawemail.mjs', message: 'att', ours: true },
  { id: 'C', file: 'c-nodemailer-sesv2.mjs', message: 'html' },
  { id: 'D', file: 'd-sdk-ses-raw.mjs', message: 'html' },
  { id: 'F', file: 'f-floor.mjs', message: 'html' },
];
/** [label, specifiers (comma-separated, loaded in order), import|require] */
const IMPORTS = [
  ['node:http', 'node:http', 'import'],
  ['undici (full entry), import', 'undici', 'import'],
  ['undici (full entry), require', 'undici', 'require'],
  ['undici Pool + api-request', 'undici/lib/dispatcher/pool.js,undici/lib/api/api-request.js', 'require'],
  ['undici Agent + api-request', 'undici/lib/dispatcher/agent.js,undici/lib/api/api-request.js', 'require'],
  ['undici Client only', 'undici/lib/dispatcher/client.js', 'require'],
  ['fast-xml-parser', 'fast-xml-parser', 'import'],
  ['nodemailer', 'nodemailer', 'import'],
  ['this package (dist/esm)', '../dist/esm/index.js', 'import'],
  ['@aws-sdk/client-sesv2', '@aws-sdk/client-sesv2', 'import'],
  ['@aws-sdk/client-ses', '@aws-sdk/client-ses', 'import'],
];

const selected = (o, id) => o.only.length === 0 || o.only.includes(id) || o.only.includes(id.split('+')[0]);

// ---------------------------------------------------------------- processes

/**
 * Runs `node args…`, resolves with the parsed `RESULT` line and the milliseconds from spawn to that
 * line. Rejects when the process fails or prints no result.
 */
function runNode(args, { timeoutMs = 600_000, env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    let out = '';
    let err = '';
    let result;
    let atMs;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      if (result === undefined) {
        const m = /^RESULT (.*)$/m.exec(out);
        if (m) {
          atMs = performance.now() - t0;
          result = JSON.parse(m[1]);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && result !== undefined) return resolvePromise({ result, spawnToResultMs: atMs, stderr: err });
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      reject(
        new Error(
          `node ${args.map((a) => (a.length > 80 ? a.slice(0, 77) + '...' : a)).join(' ')}: ${why}\n${err.trim().split('\n').slice(-15).join('\n')}`,
        ),
      );
    });
  });
}

function startServer() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(BENCH, 'server.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolvePromise({ child, endpoint: `http://127.0.0.1:${m[1]}` });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
  });
}

async function serverStats(endpoint) {
  const res = await fetch(`${endpoint}/__stats`);
  return res.json();
}
async function serverReset(endpoint) {
  const res = await fetch(`${endpoint}/__reset`, { method: 'POST' });
  await res.arrayBuffer();
}

// ---------------------------------------------------------------- build and availability of A/B

function buildAndCheck(o) {
  if (o.build) {
    log('== npm run build');
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    if (b.status !== 0) {
      const text = `${b.stdout}\n${b.stderr}`
        .trim()
        .split('\n')
        .filter((l) => /error TS|Error:/.test(l))
        .slice(0, 8)
        .join('\n');
      return { available: false, reason: `npm run build failed:\n${text}` };
    }
  }
  if (!existsSync(DIST)) return { available: false, reason: `${relative(ROOT, DIST)} is missing: run \`npm run build\`` };
  const check = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify('file://' + DIST)}); if (typeof m.SesQueryTransport !== 'function') { console.error('no SesQueryTransport export'); process.exit(1); }`,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (check.status !== 0)
    return { available: false, reason: `${relative(ROOT, DIST)} does not load: ${check.stderr.trim().split('\n').slice(-4).join(' ')}` };
  return { available: true };
}

// ---------------------------------------------------------------- phases

async function throughput(o, endpoint, ours, report) {
  const rows = ROWS.filter((r) => selected(o, r.id));
  const rounds = {};
  for (let round = 1; round <= o.rounds; round++) {
    for (const row of rows) {
      if (row.ours && !ours.available) continue;
      log(`== throughput ${row.id} (round ${round}/${o.rounds})`);
      await serverReset(endpoint);
      const args = {
        case: join(CASES, row.file),
        endpoint,
        mode: 'throughput',
        message: row.message,
        n1: o.n1,
        n32: o.n32,
        warmup: o.warmup,
        concurrency: o.concurrency,
        connections: o.concurrency,
      };
      const { result } = await runNode(['--expose-gc', join(BENCH, 'measure.mjs'), JSON.stringify(args)]);
      const stats = await serverStats(endpoint);
      const sent = Math.ceil(o.warmup / 2) * (o.warmup > 0 ? 2 : 0) + o.n1 + o.n32;
      const requests = stats.SendEmail + stats.SendRawEmail + stats.v2SendEmail + stats.GetSendQuota + stats.other;
      const ok = row.expect === null ? requests === 0 : stats[row.expect] === sent && requests === sent;
      if (!ok)
        report.warnings.push(
          `${row.id}: expected ${row.expect === null ? 'no requests' : `${sent} ${row.expect}`}, server saw ${JSON.stringify(stats)}`,
        );
      result.server = stats;
      result.check = ok;
      (rounds[row.id] ??= []).push(result);
    }
  }
  const out = {};
  for (const row of rows) {
    if (row.ours && !ours.available) {
      out[row.id] = { skipped: ours.reason, message: row.message };
      continue;
    }
    const all = rounds[row.id];
    const best = all.reduce((a, b) => (b.c32.cpuMsPerMsg < a.c32.cpuMsPerMsg ? b : a));
    out[row.id] = {
      title: best.title,
      message: row.message,
      c1: best.c1,
      c32: best.c32,
      peakRssMB: best.peakRssMB,
      server: best.server,
      check: best.check,
      rounds: all.map((r) => ({ c1: r.c1, c32: r.c32, peakRssMB: r.peakRssMB })),
    };
  }
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function big(o, endpoint, ours, report) {
  const out = {};
  for (const c of BIG) {
    if (!selected(o, c.id === 'ours' ? 'B' : c.id)) continue;
    if (c.ours && !ours.available) {
      out[c.id] = { skipped: ours.reason };
      continue;
    }
    const runs = [];
    for (let i = 0; i < o.big; i++) {
      log(`== 5 MB message ${c.id} (${i + 1}/${o.big})`);
      await serverReset(endpoint);
      const args = { case: join(CASES, c.file), endpoint, mode: 'big', message: 'att' };
      const { result } = await runNode(['--expose-gc', join(BENCH, 'measure.mjs'), JSON.stringify(args)]);
      const stats = await serverStats(endpoint);
      const requests = stats.SendEmail + stats.SendRawEmail + stats.v2SendEmail;
      if (requests !== 2 || stats.maxBody < 5_000_000)
        report.warnings.push(`5 MB ${c.id}: expected 2 requests, one over 5 MB; server saw ${JSON.stringify(stats)}`);
      runs.push({
        cpuMs: result.cpuMs,
        wallMs: result.wallMs,
        peakRssMB: result.peakRssMB,
        peakRssBeforeMB: result.peakRssBeforeMB,
        bodyBytes: stats.maxBody,
      });
    }
    out[c.id] = {
      cpuMs: median(runs.map((r) => r.cpuMs)),
      wallMs: median(runs.map((r) => r.wallMs)),
      peakRssMB: median(runs.map((r) => r.peakRssMB)),
      peakRssBeforeMB: median(runs.map((r) => r.peakRssBeforeMB)),
      bodyBytes: runs[0]?.bodyBytes,
      runs,
    };
  }
  return out;
}

async function coldStart(o, endpoint, ours) {
  const out = {};
  const cases = COLD.filter((c) => c.id === 'node' || selected(o, c.id));
  const samples = Object.fromEntries(cases.map((c) => [c.id, []]));
  // Round-robin so a slow moment of the machine is spread over every contender.
  for (let i = 0; i < o.cold; i++) {
    for (const c of cases) {
      if (c.ours && !ours.available) continue;
      log(`== cold start ${c.id} (${i + 1}/${o.cold})`);
      const args = { case: c.file && join(CASES, c.file), endpoint, message: c.message };
      const { result, spawnToResultMs } = await runNode([join(BENCH, 'cold-start.mjs'), JSON.stringify(args)]);
      samples[c.id].push({ spawnToFirstMs: spawnToResultMs, ...result });
    }
  }
  for (const c of cases) {
    if (c.ours && !ours.available) {
      out[c.id] = { skipped: ours.reason };
      continue;
    }
    const s = samples[c.id];
    out[c.id] = {
      spawnToFirstMs: median(s.map((x) => x.spawnToFirstMs)),
      inProcessMs: median(s.map((x) => x.readyMs)),
      importMs: c.file ? median(s.map((x) => x.importMs)) : undefined,
      createMs: c.file ? median(s.map((x) => x.createMs)) : undefined,
      firstSendMs: c.file ? median(s.map((x) => x.firstSendMs)) : undefined,
      samples: s.length,
    };
  }
  return out;
}

async function imports(o, ours) {
  const out = [];
  for (const [label, specifiers, how] of IMPORTS) {
    if (specifiers.includes('dist/esm') && !ours.available) {
      out.push({ label, specifiers, how, skipped: ours.reason });
      continue;
    }
    const runs = [];
    for (let i = 0; i < o.importRuns; i++) {
      log(`== import cost ${label} (${i + 1}/${o.importRuns})`);
      const { result } = await runNode([join(BENCH, 'import-cost.mjs'), specifiers, how]);
      runs.push(result);
    }
    out.push({ label, specifiers, how, ms: median(runs.map((r) => r.ms)), rssMB: median(runs.map((r) => r.rssMB)), samples: runs.length });
  }
  return out;
}

/** T: 1,000 templated messages, one request each vs batched; a fresh process per mode and round, best round by CPU/msg. */
async function templates(o, endpoint, ours, report) {
  if (!ours.available) return { skipped: ours.reason };
  const out = {};
  for (let round = 1; round <= o.rounds; round++) {
    for (const batching of [false, true]) {
      log(`== templates ${batching ? 'batched' : 'one request each'} (round ${round}/${o.rounds})`);
      const n = o.quick ? 100 : 1000;
      const { result } = await runNode([
        '--expose-gc',
        join(CASES, 't-templates.mjs'),
        JSON.stringify({ endpoint, batching, n, warmup: o.quick ? 20 : 200 }),
      ]);
      const expected = batching ? result.bulkDestinations + result.sendTemplatedEmail === n : result.sendTemplatedEmail === n;
      if (!expected) report.warnings.push(`T ${batching ? 'batched' : 'one each'}: server saw ${JSON.stringify(result)}`);
      const key = batching ? 'batched' : 'single';
      if (!out[key] || result.cpuMsPerMsg < out[key].cpuMsPerMsg) out[key] = result;
    }
  }
  return out;
}

// ---------------------------------------------------------------- targets

function targets(r) {
  const t = [];
  const tp = r.throughput ?? {};
  const cpu = (id, c = 'c32') => tp[id]?.[c]?.cpuMsPerMsg;
  const add = (name, value, base, limit, note) => {
    const ratio = value !== undefined && base !== undefined && base > 0 ? value / base : undefined;
    t.push({ target: name, limit, ratio, pass: ratio === undefined ? null : ratio <= limit, note });
  };
  for (const c of ['c32', 'c1']) {
    const at = c === 'c32' ? `concurrency ${r.options.concurrency}` : 'concurrency 1';
    add(`CPU/msg A ≤ 0.25 × C (${at})`, cpu('A', c), cpu('C', c), 0.25);
    add(`CPU/msg B ≤ 0.5 × C (${at}, both with the attachment)`, cpu('B', c), cpu('C+att', c), 0.5);
    add(`CPU/msg A ≤ 1.5 × F (${at})`, cpu('A', c), cpu('F', c), 1.5);
  }
  const cs = r.coldStart ?? {};
  add('Cold start A ≤ 0.7 × C (spawn → first message accepted)', cs.A?.spawnToFirstMs, cs.C?.spawnToFirstMs, 0.7);
  add(
    'Cold start B ≤ 0.7 × C (spawn → first message accepted)',
    cs.B?.spawnToFirstMs,
    cs.C?.spawnToFirstMs,
    0.7,
    'B is not named in the issue; shown for information',
  );
  const b = r.big ?? {};
  add('5 MB message CPU: ours ≤ C', b.ours?.cpuMs, b.C?.cpuMs, 1);
  add('5 MB message peak RSS: ours ≤ C', b.ours?.peakRssMB, b.C?.peakRssMB, 1);
  const f = r.footprint;
  add('Install footprint bytes: ours (with this package) ≤ 0.3 × client-sesv2', f?.ours.bytes, f?.sesv2.bytes, 0.3);
  add(
    'Install footprint packages: ours ≤ 0.3 × client-sesv2',
    f?.ours.packages,
    f?.sesv2.packages,
    0.3,
    'package count; the issue names no unit',
  );
  return t;
}

// ---------------------------------------------------------------- printing

const fx = (v, d) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v.toFixed(d));
const mb = (b) => (b / 1048576).toFixed(2);

/** A Markdown table; `align` has one letter per column (l or r), default: two left, then right. */
function table(head, rows, align = 'll' + 'r'.repeat(head.length)) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const left = (i) => align[i] === 'l';
  const line = (cells) =>
    '| ' + cells.map((c, i) => (left(i) ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ') + ' |';
  return [
    line(head),
    '|' + widths.map((w, i) => (left(i) ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|',
    ...rows.map(line),
  ].join('\n');
}

function render(r) {
  const lines = [];
  const m = r.machine;
  lines.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.platform} ${m.release}; Node ${r.node}; ${r.date}`);
  lines.push(
    `Versions: ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  lines.push(
    `Run: ${r.options.n1} messages at concurrency 1, ${r.options.n32} at ${r.options.concurrency} (after ${r.options.warmup} warm-up), best of ${r.options.rounds} round(s) by CPU/msg; command: ${r.command}`,
  );
  if (r.ours.available === false) lines.push(`\n!! A and B SKIPPED: ${r.ours.reason}`);

  if (r.throughput) {
    const c = r.options.concurrency;
    const rows = Object.entries(r.throughput).map(([id, x]) => {
      if (x.skipped) return [id, 'skipped (see above)', '–', '–', '–', '–', '–', '–', '–', '–'];
      const vsId = ROWS.find((row) => row.id === id)?.vs;
      const vs = r.throughput[vsId]?.c32?.cpuMsPerMsg;
      return [
        id + (x.check ? '' : ' (!)'),
        x.title,
        fx(x.c1.msgsPerSec, 0),
        fx(x.c1.cpuMsPerMsg, 3),
        `${fx(x.c1.latencyMs.p50, 2)} / ${fx(x.c1.latencyMs.p99, 2)}`,
        fx(x.c32.msgsPerSec, 0),
        fx(x.c32.cpuMsPerMsg, 3),
        `${fx(x.c32.latencyMs.p50, 2)} / ${fx(x.c32.latencyMs.p99, 2)}`,
        vs ? fx(x.c32.cpuMsPerMsg / vs, 2) + (vsId === 'C' ? '' : ' (att)') : '–',
        fx(x.peakRssMB, 1),
      ];
    });
    lines.push('\nThroughput (text + HTML ≈3 KB; "+att" and B add a 2 KB attachment)\n');
    lines.push(
      table(
        [
          'id',
          'contender',
          'msg/s c1',
          'CPU ms/msg c1',
          'p50 / p99 ms c1',
          `msg/s c${c}`,
          `CPU ms/msg c${c}`,
          `p50 / p99 ms c${c}`,
          `CPU ×C c${c}`,
          'peak RSS MB',
        ],
        rows,
      ),
    );
  }
  if (r.big) {
    lines.push(
      '\nOne message with a 5 MB attachment (fresh process, after one message with the small attachment and a 500 ms pause; median of runs)\n',
    );
    lines.push(
      table(
        ['id', 'contender', 'CPU ms', 'wall ms', 'peak RSS MB', 'peak RSS before MB', 'request body MB'],
        Object.entries(r.big).map(([id, x]) =>
          x.skipped
            ? [id, 'skipped', '–', '–', '–', '–', '–']
            : [
                id,
                BIG.find((b) => b.id === id).file.replace('.mjs', ''),
                fx(x.cpuMs, 0),
                fx(x.wallMs, 0),
                fx(x.peakRssMB, 1),
                fx(x.peakRssBeforeMB, 1),
                mb(x.bodyBytes ?? NaN),
              ],
        ),
      ),
    );
  }
  if (r.coldStart) {
    lines.push(`\nCold start: fresh process, spawn → first message accepted (median of ${r.options.cold})\n`);
    lines.push(
      table(
        ['id', 'what', 'spawn → first ms', 'in-process ms', 'import ms', 'create ms', 'first send ms'],
        Object.entries(r.coldStart).map(([id, x]) =>
          x.skipped
            ? [id, 'skipped', '–', '–', '–', '–', '–']
            : [
                id,
                id === 'node' ? 'node itself (empty script)' : COLD.find((c) => c.id === id).file.replace('.mjs', ''),
                fx(x.spawnToFirstMs, 1),
                fx(x.inProcessMs, 1),
                fx(x.importMs, 1),
                fx(x.createMs, 1),
                fx(x.firstSendMs, 1),
              ],
        ),
      ),
    );
  }
  if (r.imports) {
    lines.push(`\nImport cost in a fresh process (median of ${r.options.importRuns})\n`);
    lines.push(
      table(
        ['module', 'loaded as', 'ms', 'RSS after MB'],
        r.imports.map((x) => (x.skipped ? [x.label, x.how, 'skipped', '–'] : [x.label, x.how, fx(x.ms, 1), fx(x.rssMB, 1)])),
      ),
    );
  }
  if (r.footprint) {
    const f = r.footprint;
    lines.push('\nInstall footprint (runtime dependency closure from node_modules, Nodemailer excluded)\n');
    lines.push(
      table(
        ['closure', 'packages', 'MB', 'largest'],
        [
          [
            'ours: dependencies only',
            f.oursDeps.packages,
            mb(f.oursDeps.bytes),
            f.oursDeps.list
              .slice(0, 3)
              .map((p) => `${p.name} ${mb(p.bytes)}`)
              .join(', '),
          ],
          [
            'ours: with this package',
            f.ours.packages,
            mb(f.ours.bytes),
            `${f.ours.self.name} ${mb(f.ours.self.bytes)}${f.ours.self.built ? '' : ' (dist not built)'}`,
          ],
          [
            '@aws-sdk/client-sesv2',
            f.sesv2.packages,
            mb(f.sesv2.bytes),
            f.sesv2.list
              .slice(0, 3)
              .map((p) => `${p.name} ${mb(p.bytes)}`)
              .join(', '),
          ],
          [
            '@aws-sdk/client-ses',
            f.ses.packages,
            mb(f.ses.bytes),
            f.ses.list
              .slice(0, 3)
              .map((p) => `${p.name} ${mb(p.bytes)}`)
              .join(', '),
          ],
        ],
        'lrrl',
      ),
    );
  }
  if (r.templates && !r.templates.skipped) {
    lines.push(
      `\nT: ${r.templates.single.messages} templated messages given at once (same template, own data), best of ${r.options.rounds} round(s)\n`,
    );
    lines.push(
      table(
        ['mode', 'actions', 'requests', 'CPU ms/msg', 'wall ms', 'peak RSS MB'],
        [r.templates.single, r.templates.batched].map((x) => [
          x.batching ? 'batched (default)' : 'one request each',
          x.actions.join(' + '),
          x.requests,
          fx(x.cpuMsPerMsg, 3),
          fx(x.wallMs, 0),
          fx(x.peakRssMB, 1),
        ]),
        'llrrrr',
      ),
    );
  }
  lines.push('\nTargets from issue 5 (information only; never changes the exit code)\n');
  lines.push(
    table(
      ['target', 'ratio', 'limit', 'result'],
      r.targets.map((t) => [t.target, fx(t.ratio, 3), String(t.limit), t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'FAIL']),
      'lrrl',
    ),
  );
  if (r.warnings.length) lines.push('\nWarnings:\n' + r.warnings.map((w) => `- ${w}`).join('\n'));
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

function versionOf(name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

async function main() {
  const o = options();
  const started = performance.now();
  const ours = buildAndCheck(o);
  if (!ours.available) log(`!! A and B will be skipped: ${ours.reason}`);
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: os.availableParallelism?.() ?? cpus.length,
      memoryGB: Math.round(os.totalmem() / 1073741824),
      platform: os.platform(),
      release: os.release(),
      arch: os.arch(),
    },
    node: process.version,
    versions: {
      'nodemailer-ses-query': JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
      nodemailer: versionOf('nodemailer'),
      undici: versionOf('undici'),
      'fast-xml-parser': versionOf('fast-xml-parser'),
      '@aws-sdk/client-sesv2': versionOf('@aws-sdk/client-sesv2'),
      '@aws-sdk/client-ses': versionOf('@aws-sdk/client-ses'),
    },
    options: { ...o, out: relative(ROOT, o.out) },
    messages: messageSizes(),
    ours,
    warnings: [],
  };
  const { child: server, endpoint } = await startServer();
  const stopServer = () => server.exitCode === null && server.kill('SIGTERM');
  process.on('exit', stopServer);
  try {
    if (!o.skip.includes('throughput')) report.throughput = await throughput(o, endpoint, ours, report);
    if (!o.skip.includes('big') && o.big > 0) report.big = await big(o, endpoint, ours, report);
    if (!o.skip.includes('templates') && selected(o, 'T')) {
      await serverReset(endpoint);
      report.templates = await templates(o, endpoint, ours, report);
    }
    if (!o.skip.includes('cold') && o.cold > 0) {
      await serverReset(endpoint);
      report.coldStart = await coldStart(o, endpoint, ours);
    }
  } finally {
    stopServer();
  }
  if (!o.skip.includes('imports') && o.importRuns > 0) report.imports = await imports(o, ours);
  if (!o.skip.includes('footprint')) report.footprint = footprint();
  report.targets = targets(report);
  report.durationSeconds = Math.round((performance.now() - started) / 100) / 10;
  writeFileSync(o.out, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(render(report) + `\n\nWrote ${relative(process.cwd(), o.out) || o.out} in ${report.durationSeconds} s\n`);
}

main().catch((err) => {
  log(`bench failed: ${err?.stack ?? err}`);
  process.exitCode = 1;
});
