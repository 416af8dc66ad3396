/**
 * A small TypeScript highlighter for the Code tab: comments, strings (template literals whole),
 * numbers and keywords, per line. It only colours; it never changes the text, so what a user
 * copies is the file. (A full editor would weigh hundreds of KB for a read-only view.)
 */
export type TokenKind = 'comment' | 'string' | 'number' | 'keyword' | 'plain';
export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set([
  'as', 'async', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'from', 'function', 'if', 'import', 'in', 'instanceof', 'interface', 'let',
  'new', 'null', 'of', 'return', 'switch', 'this', 'throw', 'true', 'try', 'type', 'typeof', 'undefined', 'var', 'void', 'while', 'yield',
]);

// Order matters: comments and strings first, so a keyword inside them stays part of them.
const TOKEN = /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:\\.|[^'\\\n])*'?|"(?:\\.|[^"\\\n])*"?|`(?:\\[\s\S]|[^`\\])*`?)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b)|([A-Za-z_$][\w$]*)/g;

/** The file as lines of tokens (a multi-line comment or template literal is split at its newlines). */
export function highlightLines(source: string): Token[][] {
  const flat: Token[] = [];
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    const at = m.index;
    if (at > last) flat.push({ kind: 'plain', text: source.slice(last, at) });
    const kind: TokenKind = m[1] ? 'comment' : m[2] ? 'string' : m[3] ? 'number' : KEYWORDS.has(m[4]!) ? 'keyword' : 'plain';
    flat.push({ kind, text: m[0] });
    last = at + m[0].length;
  }
  if (last < source.length) flat.push({ kind: 'plain', text: source.slice(last) });
  const lines: Token[][] = [[]];
  for (const t of flat) {
    const parts = t.text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part !== '') lines[lines.length - 1]!.push({ kind: t.kind, text: part });
    });
  }
  if (source.endsWith('\n')) lines.pop();
  return lines;
}
