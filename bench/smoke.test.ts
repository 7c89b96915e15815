// Smoke run of `npm run bench` (bench/run.mjs --quick --skip imports): a handful of messages per contender so the
// bench does not rot. It checks that every contender really sent its messages the way it claims
// (the bench server counts requests per SES action) and that the report is complete. No timings
// are asserted. A and B need the built package (dist/esm); CI builds before testing.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT = existsSync(join(ROOT, 'dist', 'esm', 'index.js'));

interface Phase {
  messages: number;
  msgsPerSec: number;
  cpuMsPerMsg: number;
  latencyMs: { p50: number; p99: number };
}
interface Row {
  skipped?: string;
  check?: boolean;
  c1?: Phase;
  c32?: Phase;
  peakRssMB?: number;
  server?: Record<string, number>;
}
interface Results {
  machine: { cpu: string; cores: number };
  node: string;
  date: string;
  options: { n1: number; n32: number; warmup: number };
  ours: { available: boolean; reason?: string };
  throughput: Record<string, Row>;
  big: Record<string, { skipped?: string; cpuMs?: number; peakRssMB?: number; bodyBytes?: number }>;
  coldStart: Record<string, { skipped?: string; spawnToFirstMs?: number; firstSendMs?: number }>;
  imports?: Array<{ label: string; ms?: number; skipped?: string }>;
  footprint: { oursDeps: { packages: number; list: Array<{ name: string }> }; sesv2: { packages: number; list: Array<{ name: string }> } };
  targets: Array<{ target: string; pass: boolean | null }>;
  warnings: string[];
}

let dir: string;
let results: Results;
let stdout: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const out = join(dir, 'results.json');
  stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['bench/run.mjs', '--quick', '--no-build', '--skip', 'imports', '--out', out],
      { cwd: ROOT, timeout: 90_000 },
      (err, so, se) => {
        if (err) reject(new Error(`bench/run.mjs --quick failed: ${err.message}\n${se}`));
        else resolve(so);
      },
    );
  });
  results = JSON.parse(readFileSync(out, 'utf8')) as Results;
}, 100_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Requests the quick run sends per throughput row: warm-up (half at each concurrency), then n1 + n32. */
const sent = (): number => Math.ceil(results.options.warmup / 2) * 2 + results.options.n1 + results.options.n32;

function expectRow(id: string, counter: string | null): void {
  const row = results.throughput[id];
  expect(row, id).toBeDefined();
  expect(row!.skipped, id).toBeUndefined();
  expect(row!.check, `${id}: ${JSON.stringify(row!.server)}`).toBe(true);
  for (const phase of [row!.c1!, row!.c32!]) {
    expect(phase.msgsPerSec).toBeGreaterThan(0);
    expect(phase.cpuMsPerMsg).toBeGreaterThan(0);
    expect(phase.latencyMs.p99).toBeGreaterThanOrEqual(phase.latencyMs.p50);
  }
  expect(row!.c1!.messages).toBe(results.options.n1);
  expect(row!.c32!.messages).toBe(results.options.n32);
  expect(row!.peakRssMB).toBeGreaterThan(0);
  const server = row!.server!;
  const total = server.SendEmail! + server.SendRawEmail! + server.v2SendEmail! + server.GetSendQuota! + server.other!;
  if (counter === null) expect(total).toBe(0);
  else {
    expect(server[counter]).toBe(sent());
    expect(total).toBe(sent());
    expect(server.unsigned).toBe(0);
  }
}

describe('bench smoke run (--quick)', () => {
  it('records the machine, Node version and date, and prints the tables and targets', () => {
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.cpu.length).toBeGreaterThan(0);
    expect(results.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(results.date))).toBe(false);
    expect(stdout).toContain('Throughput');
    expect(stdout).toContain('Targets from issue 5');
    expect(results.targets.some((t) => t.target.startsWith('CPU/msg A ≤ 0.25 × C'))).toBe(true);
  });

  it('sends C through SESv2 and D, F, F2 through the v1 Query API; F1 and F1+att send nothing', () => {
    expectRow('C', 'v2SendEmail');
    expectRow('C+att', 'v2SendEmail');
    expectRow('D', 'SendRawEmail');
    expectRow('D+att', 'SendRawEmail');
    expectRow('F', 'SendEmail');
    expectRow('F2', 'SendEmail');
    expectRow('F1', null);
    expectRow('F1+att', null);
    expect(results.warnings.filter((w) => !/^[AB]\b|ours/.test(w))).toEqual([]);
  });

  it('sends one 5 MB message per contender and times cold starts', () => {
    for (const id of ['C', 'D']) {
      expect(results.big[id]!.bodyBytes).toBeGreaterThan((5_000_000 * 4) / 3);
      expect(results.big[id]!.cpuMs).toBeGreaterThan(0);
      expect(results.big[id]!.peakRssMB).toBeGreaterThan(0);
      expect(results.coldStart[id]!.spawnToFirstMs).toBeGreaterThan(0);
    }
    expect(results.coldStart.node!.spawnToFirstMs).toBeGreaterThan(0);
    expect(results.imports).toBeUndefined();
  });

  it('walks the dependency closures without Nodemailer', () => {
    const ours = results.footprint.oursDeps.list.map((p) => p.name);
    expect(ours).toEqual(expect.arrayContaining(['undici', 'fast-xml-parser']));
    expect(ours).not.toContain('nodemailer');
    const theirs = results.footprint.sesv2.list.map((p) => p.name);
    expect(theirs).toEqual(expect.arrayContaining(['@aws-sdk/client-sesv2', '@aws-sdk/core', '@smithy/core']));
    expect(theirs).not.toContain('nodemailer');
  });

  it.skipIf(!BUILT)('sends A with SendEmail and B with SendRawEmail from the built package', () => {
    expect(results.ours.available, results.ours.reason).toBe(true);
    expectRow('A', 'SendEmail');
    expectRow('B', 'SendRawEmail');
    expect(results.big.ours!.bodyBytes).toBeGreaterThan((5_000_000 * 4) / 3);
    expect(results.coldStart.A!.spawnToFirstMs).toBeGreaterThan(0);
    expect(results.warnings).toEqual([]);
  });

  it.runIf(!BUILT)('reports A and B as skipped, with the reason, when the package is not built', () => {
    expect(results.ours.available).toBe(false);
    expect(results.throughput.A!.skipped).toMatch(/npm run build/);
  });
});
