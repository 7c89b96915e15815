// Builds dist/esm and dist/cjs. Run by `npm run build`.
//
// Each published entry (the package, `./redis`, `./events`, the CLI) is one bundled file per format,
// made by esbuild: loading one file instead of some forty saves about 25 ms of a cold start (ESM
// resolution and compilation per file). Dependencies stay imports (`packages: 'external'`). An entry
// bundles the modules it uses, so `SesError` may exist once per bundle: it is branded with
// `Symbol.for`, so `instanceof SesError` holds across them (src/errors.ts). src/wire/undici-modules.cjs
// stays a CommonJS file of its own beside each ESM bundle that uses it (bundled into the CommonJS
// ones), so its requires stay plain `require` calls. Type declarations come from tsc, the same files
// for both formats.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

const entryPoints = ['src/index.ts', 'src/redis/index.ts', 'src/events/index.ts', 'src/cli/main.ts'].map((p) => join(root, p));

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
  // The CLI imports the package's own entries by name: kept imports, resolved by Node's self-reference
  // through the exports map, so the CLI bundle holds no second copy of the transport.
  external: ['nodemailer-ses-query', 'nodemailer-ses-query/*'],
  logLevel: 'warning',
  legalComments: 'none',
};

rmSync(dist, { recursive: true, force: true });
await build({ ...common, format: 'esm', outdir: join(dist, 'esm'), plugins: [undiciModulesStayExternal] });
// Beside every ESM bundle that imports it.
for (const file of readdirSync(join(dist, 'esm'), { recursive: true, encoding: 'utf8' })) {
  if (file.endsWith('.js') && readFileSync(join(dist, 'esm', file), 'utf8').includes('./undici-modules.cjs')) {
    copyFileSync(join(root, 'src', 'wire', 'undici-modules.cjs'), join(dist, 'esm', dirname(file), 'undici-modules.cjs'));
  }
}
// The CLI is ESM only (package.json `bin`), so it has no CommonJS bundle.
await build({ ...common, entryPoints: entryPoints.filter((p) => !/[\\/]cli[\\/]/.test(p)), format: 'cjs', outdir: join(dist, 'cjs') });
writeFileSync(join(dist, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');

// Declarations: emitted once into dist/esm, copied beside the CommonJS bundles (where the
// package.json above makes them CommonJS declarations).
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { stdio: 'inherit', cwd: root });
cpSync(join(dist, 'esm'), join(dist, 'cjs'), { recursive: true, filter: (src) => src.endsWith('.d.ts') || statSync(src).isDirectory() });
