/**
 * A small INI reader for `~/.aws/credentials` and `~/.aws/config`: sections of `key = value` lines.
 * Sections and their settings are prototype-less objects, and the names `__proto__`, `constructor`
 * and `prototype` are skipped as section names and as keys, so no file can reach `Object.prototype`.
 */

export type IniSections = Record<string, Record<string, string>>;

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** Unsafe when the name itself, or the profile name in `[profile name]`, is a prototype key. */
function unsafeSection(name: string): boolean {
  return UNSAFE.has(name) || UNSAFE.has(name.replace(/^(profile|sso-session|services)\s+/, '').trim());
}

export function parseIni(text: string): IniSections {
  const sections = Object.create(null) as IniSections;
  let current: Record<string, string> | undefined;
  let nested = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      // An unsafe section is read but dropped: its lines must not land in the section before it.
      current = unsafeSection(name)
        ? (Object.create(null) as Record<string, string>)
        : (sections[name] ??= Object.create(null) as Record<string, string>);
      nested = false;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq === -1 || !current) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    // An indented line under `key =` belongs to a sub-section (e.g. s3 settings): not ours.
    if (/^\s/.test(rawLine) && nested) continue;
    nested = value === '';
    if (!nested && !UNSAFE.has(key)) current[key] = value;
  }
  return sections;
}
