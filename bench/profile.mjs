#!/usr/bin/env node
// CPU profile of one contender under load, summarised by self time:
//   node bench/profile.mjs [A|B|C|C+att|D|F|…] [--n32 N] [--n1 N] [--top N] [--keep]
// Starts the bench server, runs bench/measure.mjs with `node --cpu-prof`, then prints the share of
// self time per area (this package, undici, nodemailer, fast-xml-parser, the AWS SDK, Node core, GC)
// and the top functions. --keep leaves the .cpuprofile (open it in Chrome DevTools) and says where.
// --callers NAME[,NAME] also prints, for functions of that name, the call stacks their self time
// comes from; --profile FILE summarises an existing .cpuprofile instead of running anything.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH, '..');
const CASES = {
  A: ['a-ses-query-sendemail.mjs', 'html'],
  B: ['b-ses-query-sendrawemail.mjs', 'att'],
  C: ['c-nodemailer-sesv2.mjs', 'html'],
  'C+att': ['c-nodemailer-sesv2.mjs', 'att'],
  D: ['d-sdk-ses-raw.mjs', 'html'],
  F: ['f-floor.mjs', 'html'],
  F1: ['f-noop.mjs', 'html'],
  F2: ['f-post.mjs', 'html'],
  'F1+att': ['f-mime.mjs', 'att'],
};

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const id = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && args[i - 1] !== '--keep')) ?? 'A';
if (!CASES[id]) throw new Error(`Unknown contender ${id}; one of ${Object.keys(CASES).join(', ')}`);
const n32 = Number(flag('n32', 20000));
const n1 = Number(flag('n1', 500));
const top = Number(flag('top', 25));
const keep = args.includes('--keep');
const callers = (flag('callers', '') || '').split(',').filter(Boolean);
const existing = flag('profile', undefined);

function area(url, name) {
  if (!url) {
    if (name === '(garbage collector)') return 'GC';
    if (name === '(idle)') return 'idle';
    if (name === '(program)') return 'program (native, unattributed)';
    return 'native';
  }
  if (url.includes('node_modules/undici/')) return 'undici';
  if (url.includes('node_modules/nodemailer/')) return 'nodemailer';
  if (url.includes('node_modules/fast-xml-parser/') || url.includes('node_modules/strnum/') || url.includes('node_modules/@nodable/'))
    return 'fast-xml-parser';
  if (
    url.includes('node_modules/@aws-sdk/') ||
    url.includes('node_modules/@smithy/') ||
    url.includes('node_modules/@aws-crypto/') ||
    url.includes('node_modules/tslib/')
  )
    return 'AWS SDK';
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('node_modules/')) return 'other';
  if (url.includes('/dist/esm/') || url.includes('/dist/cjs/')) return 'this package';
  if (url.includes('/bench/')) return 'bench harness';
  return 'other';
}

function summarise(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + dt);
  }
  const fns = new Map();
  const areas = new Map();
  let total = 0;
  for (const [nid, us] of self) {
    const { callFrame } = byId.get(nid);
    const a = area(callFrame.url, callFrame.functionName);
    if (a === 'idle') continue;
    total += us;
    areas.set(a, (areas.get(a) ?? 0) + us);
    const file = callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
    const key = `${callFrame.functionName || '(anonymous)'}  ${file}:${callFrame.lineNumber + 1}`;
    const f = fns.get(key) ?? { key, area: a, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  // Node core and native time charged to the nearest package frame up the stack (who asked for it),
  // and inclusive time of each function of this package.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const charged = new Map();
  const inclusive = new Map();
  const PACKAGES = new Set(['this package', 'undici', 'nodemailer', 'fast-xml-parser', 'AWS SDK', 'bench harness', 'other']);
  for (const [nid, us] of self) {
    const leaf = byId.get(nid).callFrame;
    const leafArea = area(leaf.url, leaf.functionName);
    if (leafArea === 'idle') continue;
    let owner = leafArea;
    if (!PACKAGES.has(leafArea) && leafArea !== 'GC') {
      for (let p = parent.get(nid); p !== undefined; p = parent.get(p)) {
        const cf = byId.get(p).callFrame;
        const a = area(cf.url, cf.functionName);
        if (PACKAGES.has(a)) {
          owner = a;
          break;
        }
      }
    }
    charged.set(owner, (charged.get(owner) ?? 0) + us);
    const seen = new Set();
    for (let p = nid; p !== undefined; p = parent.get(p)) {
      const cf = byId.get(p).callFrame;
      if (area(cf.url, cf.functionName) !== 'this package') continue;
      const key = `${cf.functionName || '(anonymous)'}  ${cf.url.replace(/^file:\/\/.*\/dist\//, 'dist/')}:${cf.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  return {
    total,
    areas: [...areas].sort((x, y) => y[1] - x[1]),
    charged: [...charged].sort((x, y) => y[1] - x[1]),
    inclusive: [...inclusive].sort((x, y) => y[1] - x[1]),
    fns: [...fns.values()].sort((x, y) => y.us - x.us),
  };
}

/** Self time of the named functions, split by the stacks (up to `depth` callers) that reached them. */
function callerStacks(profile, names, depth = 6) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++)
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  const label = (n) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber + 1}`;
  const stacks = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!names.includes(n.callFrame.functionName)) continue;
    const chain = [];
    for (let p = parent.get(id); p !== undefined && chain.length < depth; p = parent.get(p)) chain.push(label(byId.get(p)));
    const key = `${label(n)}\n      ← ${chain.join('\n      ← ')}`;
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  }
  return [...stacks].sort((a, b) => b[1] - a[1]);
}

function report(profile, header) {
  const s = summarise(profile);
  if (header) console.log(header);
  console.log(`\nSelf time by area (whole process, idle excluded; ${(s.total / 1000).toFixed(0)} ms sampled):`);
  for (const [a, us] of s.areas) console.log(`  ${((100 * us) / s.total).toFixed(1).padStart(5)}%  ${a}`);
  console.log('\nThe same with Node core and native time charged to the package that called it:');
  for (const [a, us] of s.charged) console.log(`  ${((100 * us) / s.total).toFixed(1).padStart(5)}%  ${a}`);
  if (s.inclusive.length) {
    console.log('\nThis package, inclusive time (callees counted):');
    for (const [key, us] of s.inclusive.slice(0, 15)) console.log(`  ${((100 * us) / s.total).toFixed(1).padStart(5)}%  ${key}`);
  }
  console.log(`\nTop ${top} functions by self time:`);
  for (const f of s.fns.slice(0, top)) console.log(`  ${((100 * f.us) / s.total).toFixed(1).padStart(5)}%  [${f.area}] ${f.key}`);
  for (const a of ['this package', 'undici', 'nodemailer']) {
    const list = s.fns.filter((f) => f.area === a).slice(0, 8);
    if (list.length === 0) continue;
    console.log(`\nTop in ${a}:`);
    for (const f of list) console.log(`  ${((100 * f.us) / s.total).toFixed(1).padStart(5)}%  ${f.key}`);
  }
  if (callers.length) {
    console.log(`\nWhere ${callers.join(', ')} is called from:`);
    for (const [key, us] of callerStacks(profile, callers).slice(0, 8))
      console.log(`  ${((100 * us) / s.total).toFixed(1).padStart(5)}%  ${key}`);
  }
}

if (existing) {
  report(JSON.parse(readFileSync(existing, 'utf8')), `Profile ${existing}`);
  process.exit(0);
}

function run(cmd, argv, onLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      onLine?.(out, child);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

const server = spawn(process.execPath, [join(BENCH, 'server.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
const endpoint = await new Promise((resolve) => {
  let out = '';
  server.stdout.setEncoding('utf8');
  server.stdout.on('data', (d) => {
    out += d;
    const m = /listening (\d+)/.exec(out);
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  });
});
const dir = mkdtempSync(join(tmpdir(), 'bench-prof-'));
try {
  const [file, message] = CASES[id];
  const opts = {
    case: join(BENCH, 'cases', file),
    endpoint,
    mode: 'throughput',
    message,
    n1,
    n32,
    warmup: 400,
    concurrency: 32,
    connections: 32,
  };
  const out = await run(process.execPath, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
    '--expose-gc',
    join(BENCH, 'measure.mjs'),
    JSON.stringify(opts),
  ]);
  const result = JSON.parse(/^RESULT (.*)$/m.exec(out)[1]);
  const profFile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  report(
    JSON.parse(readFileSync(join(dir, profFile), 'utf8')),
    `${id}: ${result.title}; ${n32} messages at concurrency 32: ${result.c32.cpuMsPerMsg.toFixed(3)} CPU ms/msg (profiler on; use run.mjs for figures)`,
  );
  if (keep) console.log(`\nProfile kept: ${join(dir, profFile)}`);
} finally {
  server.kill('SIGTERM');
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
