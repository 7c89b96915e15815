// Builds dist/esm and dist/cjs. Run by `npm run build`.
//
// Each published entry (the package, `./redis`, the CLI) is one bundled file per format, made by
// esbuild: loading one file instead of some forty saves about 25 ms of a cold start (ESM resolution
// and compilation per file). Dependencies stay imports (`packages: 'external'`). The redis and CLI
// entries import the main entry ('../index.js') and that import is kept, so every entry shares one
// SesError class. src/undici-modules.cjs stays a CommonJS file of its own beside the ESM bundle
// (bundled into the CommonJS one), so its requires stay plain `require` calls. Type declarations come
// from tsc, the same files for both formats.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

const entryPoints = ['src/index.ts', 'src/redis/index.ts', 'src/events/index.ts', 'src/cli/main.ts'].map((p) => join(root, p));

/** Keeps `import … from '../index.js'` in the redis, events and CLI entries an import of the main bundle. */
const mainEntryStaysExternal = {
  name: 'main-entry-stays-external',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
      /[\\/]src[\\/](redis|events|cli)[\\/]/.test(args.importer) ? { path: '../index.js', external: true } : undefined,
    );
  },
};

/** Keeps `import … from './undici-modules.cjs'` an import of that file (ESM build only). */
const undiciModulesStayExternal = {
  name: 'undici-modules-stay-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/undici-modules\.cjs$/ }, () => ({ path: './undici-modules.cjs', external: true }));
  },
};

const common = {
  entryPoints,
  outbase: join(root, 'src'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [mainEntryStaysExternal],
  logLevel: 'warning',
  legalComments: 'none',
};

rmSync(dist, { recursive: true, force: true });
await build({ ...common, format: 'esm', outdir: join(dist, 'esm'), plugins: [...common.plugins, undiciModulesStayExternal] });
// Beside every ESM bundle that imports it (the package, and ./events, which fetches SNS certificates).
for (const dir of ['.', 'events']) copyFileSync(join(root, 'src', 'undici-modules.cjs'), join(dist, 'esm', dir, 'undici-modules.cjs'));
await build({ ...common, format: 'cjs', outdir: join(dist, 'cjs') });
writeFileSync(join(dist, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');

// Declarations: emitted once into dist/esm, copied beside the CommonJS bundles (where the
// package.json above makes them CommonJS declarations).
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { stdio: 'inherit', cwd: root });
cpSync(join(dist, 'esm'), join(dist, 'cjs'), { recursive: true, filter: (src) => src.endsWith('.d.ts') || statSync(src).isDirectory() });
