/**
 * Splits SQL text into statements on `;`, except inside quotes, comments and (PostgreSQL)
 * dollar-quoted bodies, so a `;` in a string literal or a function body does not cut it:
 *   - '...' strings ('' inside; E'...' in PostgreSQL and every string in MySQL also take \');
 *   - "..." identifiers (strings in MySQL), `...` identifiers (MySQL);
 *   - -- line comments, # line comments (MySQL), block comments (nested in PostgreSQL);
 *   - $tag$ ... $tag$ bodies (PostgreSQL).
 * Statements are trimmed; empty ones (only whitespace or comments) are left out.
 */
export type SqlDialect = 'postgres' | 'mysql';

const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/** Index just past the quoted run that starts at `start` (the opening quote). */
function skipQuoted(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

function skipBlockComment(text: string, start: number, nested: boolean): number {
  let depth = 1;
  let i = start + 2;
  while (i < text.length) {
    if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else if (nested && text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else {
      i++;
    }
  }
  return text.length;
}

function skipLine(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end === -1 ? text.length : end + 1;
}

/** True when the text between statement boundaries holds more than whitespace and comments. */
function hasCode(statement: string, dialect: SqlDialect): boolean {
  let i = 0;
  while (i < statement.length) {
    const c = statement[i]!;
    if (/\s/.test(c)) i++;
    else if (statement.startsWith('--', i) || (dialect === 'mysql' && c === '#')) i = skipLine(statement, i);
    else if (statement.startsWith('/*', i)) i = skipBlockComment(statement, i, dialect === 'postgres');
    else return true;
  }
  return false;
}

/** The statements of `text` in order (see the module comment). */
export function splitSql(text: string, dialect: SqlDialect): string[] {
  const out: string[] = [];
  let begin = 0;
  let i = 0;
  const cut = (end: number): void => {
    const statement = text.slice(begin, end).trim();
    if (hasCode(statement, dialect)) out.push(statement);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ';') {
      cut(i);
      i++;
      begin = i;
    } else if (c === "'") {
      const prev = text[i - 1];
      const escapeString = dialect === 'mysql' || ((prev === 'E' || prev === 'e') && !/[A-Za-z0-9_]/.test(text[i - 2] ?? ' '));
      i = skipQuoted(text, i, "'", escapeString);
    } else if (c === '"') {
      i = skipQuoted(text, i, '"', dialect === 'mysql');
    } else if (c === '`' && dialect === 'mysql') {
      i = skipQuoted(text, i, '`', false);
    } else if (text.startsWith('--', i) || (c === '#' && dialect === 'mysql')) {
      i = skipLine(text, i);
    } else if (text.startsWith('/*', i)) {
      i = skipBlockComment(text, i, dialect === 'postgres');
    } else if (c === '$' && dialect === 'postgres' && !/[A-Za-z0-9_]/.test(text[i - 1] ?? ' ')) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64));
      if (tag === null) {
        i++;
      } else {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? text.length : close + tag[0].length;
      }
    } else {
      i++;
    }
  }
  cut(text.length);
  return out;
}
