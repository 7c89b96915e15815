// The package as users receive it: `npm pack`, the tarball unpacked into a throw-away project, then
// used from CommonJS, from ESM, and type-checked by TypeScript consumers against Nodemailer 10's own
// types and against Nodemailer 6 with @types/nodemailer.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
let work: string;
let fake: FakeSes;
let files: string[];

/** A consumer project inside the repo's .tmp (so other packages resolve from the repo's node_modules). */
function project(name: string, nodemailer?: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  execFileSync('tar', ['-xzf', join(work, tarball()), '-C', join(dir, 'node_modules')]);
  execFileSync('mv', [join(dir, 'node_modules', 'package'), join(dir, 'node_modules', 'nodemailer-ses-query')]);
  if (nodemailer) symlinkSync(join(root, 'node_modules', nodemailer), join(dir, 'node_modules', 'nodemailer'));
  // Its own package.json, so 'nodemailer-ses-query' resolves to the unpacked tarball, not to the repo by self-reference.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true }));
  return dir;
}

function tarball(): string {
  return readdirSync(work).find((f) => f.endsWith('.tgz'))!;
}

// Asynchronous: the fake SES answers from this process, so its event loop must keep running.
function node(dir: string, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(dir, file)],
      { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, FAKE_URL: fake.url } },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

const sendScript = (load: string) => `${load}
const transporter = nodemailer.createTransport(new SesQueryTransport({ region: 'us-east-1', endpoint: process.env.FAKE_URL, credentials: ${JSON.stringify(FAKE_CREDENTIALS)} }));
transporter.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 'packaged', text: 't' })
  .then(async (info) => {
    // verify() reads a GetSendQuota answer: the XML parser, loaded on demand, from this build.
    if ((await transporter.verify()) !== true) throw new Error('verify did not resolve true');
    await transporter.close();
    // The redis entry is its own bundle: its errors must be the main entry's SesError.
    let shared = false;
    try { new RedisRateLimiter({ key: 'k', rate: 1 }); } catch (err) { shared = err instanceof SesError && err.code === 'ECONFIG'; }
    // A proxy in the environment loads undici's proxy agent on demand, from where the package is installed.
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
    const proxied = new SesQueryTransport({ region: 'us-east-1', credentials: ${JSON.stringify(FAKE_CREDENTIALS)} });
    await proxied.close();
    delete process.env.HTTPS_PROXY;
    console.log(info.action, typeof SesError, typeof RedisRateLimiter, shared);
  });
`;

/** The send script, loaded with require (cjs.cjs) and with import (esm.mjs), written into `dir`. */
function writeSendScripts(dir: string): void {
  writeFileSync(
    join(dir, 'cjs.cjs'),
    sendScript(
      `const nodemailer = require('nodemailer');\nconst { SesQueryTransport, SesError } = require('nodemailer-ses-query');\nconst { RedisRateLimiter } = require('nodemailer-ses-query/redis');`,
    ),
  );
  writeFileSync(
    join(dir, 'esm.mjs'),
    sendScript(
      `import nodemailer from 'nodemailer';\nimport { SesQueryTransport, SesError } from 'nodemailer-ses-query';\nimport { RedisRateLimiter } from 'nodemailer-ses-query/redis';`,
    ),
  );
}

const consumerTs = `import nodemailer from 'nodemailer';
import { SesQueryTransport, SesError, type SesQueryTransportOptions, type SesSentMessageInfo } from 'nodemailer-ses-query';
import { RedisRateLimiter } from 'nodemailer-ses-query/redis';
const options: SesQueryTransportOptions = { region: 'eu-west-1', ses: { ConfigurationSetName: 'x', Tags: [{ Name: 'a', Value: 'b' }] }, sendingRate: 'auto' };
const transporter = nodemailer.createTransport(new SesQueryTransport(options));
export async function go(): Promise<string> {
  try {
    const info = (await transporter.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' })) as unknown as SesSentMessageInfo;
    return info.messageId + info.action;
  } catch (err) {
    if (err instanceof SesError) return err.code + String(err.retryable);
    throw err;
  }
}
export const limiter: typeof RedisRateLimiter = RedisRateLimiter;
`;

beforeAll(async () => {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  work = mkdtempSync(join(root, '.tmp', 'consumer-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as Array<{ files: Array<{ path: string }> }>;
  files = packed[0]!.files.map((f) => f.path);
  fake = await startFakeSes();
}, 60_000);
afterAll(async () => {
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds dist, the README, LICENSE and CHANGELOG, and nothing of src or test', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(files).toContain('CHANGELOG.md');
    expect(files).toContain('dist/esm/index.js');
    expect(files).toContain('dist/cjs/index.js');
    expect(files).toContain('dist/esm/index.d.ts');
    expect(
      files.filter(
        (f) => !/^(dist\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$|redis\/package\.json$|events\/package\.json$)/.test(f),
      ),
    ).toEqual([]);
  });

  it('works from CommonJS require and from ESM import', async () => {
    const dir = project('runtime');
    writeSendScripts(dir);
    expect((await node(dir, 'cjs.cjs')).trim()).toBe('SendEmail function function true');
    expect((await node(dir, 'esm.mjs')).trim()).toBe('SendEmail function function true');
    expect(fake.accepted).toHaveLength(2);
    fake.accepted.length = 0;
  });

  it('works bundled into one file, as Lambda builds do (esbuild), with no node_modules beside it', async () => {
    const dir = project('bundled');
    writeSendScripts(dir);
    const out = mkdtempSync(join(tmpdir(), 'ses-query-bundle-'));
    try {
      // CommonJS output from either entry style (the usual Lambda setting), and ESM output with the
      // createRequire banner that ESM Lambda bundles carry for CommonJS dependencies.
      const esmBanner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
      const builds: Array<[string, 'cjs' | 'esm', string]> = [
        ['cjs.cjs', 'cjs', 'from-cjs.cjs'],
        ['esm.mjs', 'cjs', 'from-esm.cjs'],
        ['esm.mjs', 'esm', 'from-esm.mjs'],
      ];
      for (const [entry, format, outfile] of builds) {
        await build({
          entryPoints: [join(dir, entry)],
          bundle: true,
          platform: 'node',
          target: 'node20',
          format,
          outfile: join(out, outfile),
          logLevel: 'silent',
          ...(format === 'esm' ? { banner: { js: esmBanner } } : {}),
        });
        expect((await node(out, outfile)).trim(), outfile).toBe('SendEmail function function true');
      }
      expect(fake.accepted).toHaveLength(3);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it.each([
    ['Nodemailer 10 (its own types)', 'nodemailer', 'node16'],
    ['Nodemailer 6 with @types/nodemailer', 'nodemailer6', 'node16'],
    ['a bundler setup', 'nodemailer', 'bundler'],
  ])(
    'type-checks a TypeScript consumer with %s',
    (_label, nodemailer, resolution) => {
      const dir = project(`ts-${nodemailer}-${resolution}`, nodemailer);
      writeFileSync(join(dir, 'index.ts'), consumerTs);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ts-consumer', private: true, type: 'module' }));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'ES2022',
            skipLibCheck: false,
            esModuleInterop: true,
            types: ['node'],
            typeRoots: [join(root, 'node_modules', '@types')],
            ...(resolution === 'bundler'
              ? { module: 'ESNext', moduleResolution: 'bundler' }
              : { module: 'Node16', moduleResolution: 'Node16' }),
          },
          files: ['index.ts'],
        }),
      );
      execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    },
    60_000,
  );
});
