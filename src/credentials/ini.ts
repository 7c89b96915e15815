/** A small INI reader for `~/.aws/credentials` and `~/.aws/config`: sections of `key = value` lines. */

export type IniSections = Record<string, Record<string, string>>;

export function parseIni(text: string): IniSections {
  const sections: IniSections = {};
  let current: Record<string, string> | undefined;
  let nested = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[([^\]]+)\]/.exec(line);
    if (section) {
      const name = section[1]!.trim();
      current = sections[name] ??= {};
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
    if (!nested) current[key] = value;
  }
  return sections;
}
