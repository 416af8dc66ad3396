/**
 * A small INI reader for updraft.cfg: `[section]` headers, `key = value` lines, whole-line
 * comments starting with `#` or `;`. Section and key names are case-insensitive. A value may
 * be wrapped in matching quotes to keep surrounding spaces. There are no inline comments, so a
 * `#` inside a value (a password, a URL fragment) is kept as written.
 */

export interface IniEntry {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  /** 1-based line number. */
  readonly line: number;
}

export interface IniSection {
  readonly name: string;
  readonly line: number;
}

export interface IniDocument {
  readonly sections: readonly IniSection[];
  readonly entries: readonly IniEntry[];
  /** Syntax problems, each `line N: what is wrong`. */
  readonly problems: readonly { line: number; message: string }[];
}

export function parseIni(text: string): IniDocument {
  const sections: IniSection[] = [];
  const entries: IniEntry[] = [];
  const problems: { line: number; message: string }[] = [];
  const seen = new Map<string, number>();
  let section: string | undefined;

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const line = index + 1;
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;

    const header = /^\[\s*([^\]]*?)\s*\]$/.exec(trimmed);
    if (header) {
      section = header[1]?.toLowerCase() ?? '';
      if (section === '') problems.push({ line, message: 'empty section name' });
      if (!sections.some((s) => s.name === section)) sections.push({ name: section, line });
      return;
    }

    const eq = trimmed.indexOf('=');
    if (eq < 0) {
      problems.push({ line, message: 'expected `key = value`, `[section]` or a comment' });
      return;
    }
    const key = trimmed.slice(0, eq).trim().toLowerCase();
    if (key === '') {
      problems.push({ line, message: 'missing key before `=`' });
      return;
    }
    if (section === undefined) {
      problems.push({ line, message: `key "${key}" appears before any [section] header` });
      return;
    }
    const id = `${section}.${key}`;
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problems.push({ line, message: `${id} is set twice (also on line ${earlier})` });
      return;
    }
    seen.set(id, line);
    entries.push({ section, key, value: unquote(trimmed.slice(eq + 1).trim()), line });
  });
  return { sections, entries, problems };
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
  return value;
}
