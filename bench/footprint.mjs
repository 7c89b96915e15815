// Install footprint: bytes on disk and package count of a runtime dependency closure, found by
// walking package.json `dependencies` (and installed `optionalDependencies`) through node_modules
// the way Node resolves them. Nodemailer is left out (every contender needs it).
// Standalone: `node bench/footprint.mjs` prints ours vs @aws-sdk/client-sesv2 vs @aws-sdk/client-ses.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXCLUDE = new Set(['nodemailer']);

/** Bytes and files under `dir`, not descending into its own `node_modules`. */
function dirSize(dir, top = true) {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (top && entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = dirSize(path, false);
      bytes += sub.bytes;
      files += sub.files;
    } else {
      bytes += lstatSync(path).size;
      files++;
    }
  }
  return { bytes, files };
}

/** Where `name` resolves from a package at `from` (nearest node_modules upwards). */
function resolvePackage(name, from) {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/**
 * The closure of `roots` (package names resolved from `from`), each package counted once.
 * @returns {{ packages: number, bytes: number, files: number, missing: string[], list: Array<{ name: string, version: string, bytes: number }> }}
 */
export function closure(roots, from = ROOT) {
  const seen = new Map();
  const missing = [];
  const queue = roots.map((name) => ({ name, from, optional: false }));
  while (queue.length) {
    const { name, from: at, optional } = queue.shift();
    if (EXCLUDE.has(name)) continue;
    const dir = resolvePackage(name, at);
    if (!dir) {
      if (!optional) missing.push(name);
      continue;
    }
    if (seen.has(dir)) continue;
    const pkg = readJson(join(dir, 'package.json'));
    const size = dirSize(dir);
    seen.set(dir, { name: pkg.name ?? name, version: pkg.version ?? '?', bytes: size.bytes, files: size.files, path: relative(ROOT, dir) });
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, optional: true });
  }
  const list = [...seen.values()].sort((a, b) => b.bytes - a.bytes);
  return {
    packages: list.length,
    bytes: list.reduce((s, p) => s + p.bytes, 0),
    files: list.reduce((s, p) => s + p.files, 0),
    missing,
    list,
  };
}

/** The files `npm pack` would ship for this package (its `files` list plus package.json), if built. */
export function ownPackageSize() {
  const pkg = readJson(join(ROOT, 'package.json'));
  let bytes = lstatSync(join(ROOT, 'package.json')).size;
  let files = 1;
  for (const entry of pkg.files ?? []) {
    const path = join(ROOT, entry);
    if (!existsSync(path)) continue;
    const st = lstatSync(path);
    if (st.isDirectory()) {
      const s = dirSize(path, false);
      bytes += s.bytes;
      files += s.files;
    } else {
      bytes += st.size;
      files++;
    }
  }
  return { name: pkg.name, version: pkg.version, bytes, files, built: existsSync(join(ROOT, 'dist')) };
}

/** Ours (this package's runtime dependencies, and with the package itself) and the two SDK clients. */
export function footprint() {
  const pkg = readJson(join(ROOT, 'package.json'));
  const deps = closure(Object.keys(pkg.dependencies ?? {}));
  const own = ownPackageSize();
  const summary = (c) => ({
    packages: c.packages,
    bytes: c.bytes,
    files: c.files,
    missing: c.missing,
    list: c.list.map(({ name, version, bytes }) => ({ name, version, bytes })),
  });
  return {
    oursDeps: summary(deps),
    ours: { packages: deps.packages + 1, bytes: deps.bytes + own.bytes, files: deps.files + own.files, self: own },
    sesv2: summary(closure(['@aws-sdk/client-sesv2'])),
    ses: summary(closure(['@aws-sdk/client-ses'])),
  };
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const f = footprint();
  const mb = (b) => (b / 1048576).toFixed(2) + ' MB';
  console.log(
    `ours, dependencies only    ${String(f.oursDeps.packages).padStart(4)} packages  ${mb(f.oursDeps.bytes)}  (${f.oursDeps.list.map((p) => p.name).join(', ')})`,
  );
  console.log(
    `ours, with this package    ${String(f.ours.packages).padStart(4)} packages  ${mb(f.ours.bytes)}${f.ours.self.built ? '' : '  (dist not built)'}`,
  );
  console.log(`@aws-sdk/client-sesv2      ${String(f.sesv2.packages).padStart(4)} packages  ${mb(f.sesv2.bytes)}`);
  console.log(`@aws-sdk/client-ses        ${String(f.ses.packages).padStart(4)} packages  ${mb(f.ses.bytes)}`);
  console.log(
    `ratio ours / client-sesv2  ${(f.ours.bytes / f.sesv2.bytes).toFixed(3)} (bytes), ${(f.ours.packages / f.sesv2.packages).toFixed(3)} (packages)`,
  );
}
