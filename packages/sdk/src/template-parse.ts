/**
 * The expression language inside `{{ ... }}`: a small, safe subset of Jinja's.
 *
 *     expr     := primary postfix* ( '|' filter )*
 *     postfix  := '.' name | '[' expr ']' | '(' args ')'
 *     filter   := name ( '(' args ')' )?
 *     args     := ( arg ( ',' arg )* )?      arg := name '=' expr | expr
 *     primary  := name | 'string' | "string" | number | true | false | none | null | '(' expr ')'
 *               | '[' ( expr ( ',' expr )* ','? )? ']'      (a list, as in `ti.xcom_pull(task_ids=['a', 'b'])`)
 *
 * A name after `.` may also contain `-` or start with a digit (`params.list.0`, `conn.my-db.host`).
 * No operators, no statements: a template reads values, calls the functions the context offers
 * (`ti.xcom_pull('t')`, `macros.ds_add(ds, 1)`) and pipes through filters.
 */

export type TemplateExpr =
  | { type: 'name'; name: string }
  | { type: 'literal'; value: string | number | boolean | null }
  | { type: 'list'; items: TemplateExpr[] }
  | { type: 'member'; object: TemplateExpr; property: string }
  | { type: 'index'; object: TemplateExpr; index: TemplateExpr }
  | { type: 'call'; callee: TemplateExpr; args: TemplateExpr[]; kwargs: Record<string, TemplateExpr> }
  | { type: 'filter'; input: TemplateExpr; name: string; args: TemplateExpr[]; kwargs: Record<string, TemplateExpr> };

export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

type Token =
  | { t: 'name'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'punct'; v: string };

const PUNCT = new Set(['.', '(', ')', '[', ']', ',', '|', '=']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const prev = out[out.length - 1];
    if (prev?.t === 'punct' && prev.v === '.') {
      const m = /^[A-Za-z0-9_-]+/.exec(src.slice(i));
      if (!m) throw new TemplateSyntaxError(`expected a name after '.' at '${src.slice(i, i + 10)}'`);
      out.push({ t: 'name', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        v += src[j];
        j++;
      }
      if (j >= src.length) throw new TemplateSyntaxError(`unterminated string starting at '${src.slice(i, i + 10)}'`);
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      out.push({ t: 'name', v: name[0] });
      i += name[0].length;
      continue;
    }
    if (PUNCT.has(c)) {
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    throw new TemplateSyntaxError(`unexpected character '${c}'`);
  }
  return out;
}

const LITERAL_NAMES: Record<string, boolean | null> = { true: true, false: false, True: true, False: false, none: null, None: null, null: null };

/** Parses the text between `{{` and `}}`. TemplateSyntaxError when it is not an expression. */
export function parseTemplateExpr(src: string): TemplateExpr {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isPunct = (v: string): boolean => peek()?.t === 'punct' && peek()!.v === v;
  const expect = (v: string): void => {
    if (!isPunct(v)) throw new TemplateSyntaxError(`expected '${v}'${peek() ? ` before '${String(peek()!.v)}'` : ' at the end'}`);
    pos++;
  };
  const expectName = (what: string): string => {
    const tok = peek();
    if (tok?.t !== 'name') throw new TemplateSyntaxError(`expected ${what}`);
    pos++;
    return tok.v;
  };

  const args = (): { args: TemplateExpr[]; kwargs: Record<string, TemplateExpr> } => {
    const out: { args: TemplateExpr[]; kwargs: Record<string, TemplateExpr> } = { args: [], kwargs: {} };
    expect('(');
    while (!isPunct(')')) {
      if (peek() === undefined) throw new TemplateSyntaxError("expected ')' at the end");
      const tok = peek();
      const next = tokens[pos + 1];
      if (tok?.t === 'name' && next?.t === 'punct' && next.v === '=') {
        pos += 2;
        out.kwargs[tok.v] = expr();
      } else {
        if (Object.keys(out.kwargs).length > 0) throw new TemplateSyntaxError('a positional argument follows a keyword argument');
        out.args.push(expr());
      }
      if (peek() === undefined) throw new TemplateSyntaxError("expected ')' at the end");
      if (!isPunct(')')) expect(',');
    }
    expect(')');
    return out;
  };

  const primary = (): TemplateExpr => {
    const tok = peek();
    if (tok === undefined) throw new TemplateSyntaxError('expected a value');
    if (tok.t === 'str' || tok.t === 'num') {
      pos++;
      return { type: 'literal', value: tok.v };
    }
    if (tok.t === 'name') {
      pos++;
      if (Object.prototype.hasOwnProperty.call(LITERAL_NAMES, tok.v)) return { type: 'literal', value: LITERAL_NAMES[tok.v]! };
      return { type: 'name', name: tok.v };
    }
    if (tok.v === '(') {
      pos++;
      const inner = expr();
      expect(')');
      return inner;
    }
    if (tok.v === '[') {
      pos++;
      const items: TemplateExpr[] = [];
      while (!isPunct(']')) {
        if (peek() === undefined) throw new TemplateSyntaxError("expected ']' at the end");
        items.push(expr());
        if (!isPunct(']')) expect(',');
      }
      expect(']');
      return { type: 'list', items };
    }
    throw new TemplateSyntaxError(`unexpected '${tok.v}'`);
  };

  const postfix = (): TemplateExpr => {
    let e = primary();
    for (;;) {
      if (isPunct('.')) {
        pos++;
        e = { type: 'member', object: e, property: expectName("a name after '.'") };
      } else if (isPunct('[')) {
        pos++;
        const index = expr();
        expect(']');
        e = { type: 'index', object: e, index };
      } else if (isPunct('(')) {
        e = { type: 'call', callee: e, ...args() };
      } else {
        return e;
      }
    }
  };

  function expr(): TemplateExpr {
    let e = postfix();
    while (isPunct('|')) {
      pos++;
      const name = expectName("a filter name after '|'");
      const a = isPunct('(') ? args() : { args: [], kwargs: {} };
      e = { type: 'filter', input: e, name, ...a };
    }
    return e;
  }

  const result = expr();
  if (pos < tokens.length) throw new TemplateSyntaxError(`unexpected '${String(tokens[pos]!.v)}'`);
  return result;
}

/** The dotted path of a name/member chain (`ti.xcom_pull`), or undefined for anything else. */
export function exprPath(e: TemplateExpr): string | undefined {
  if (e.type === 'name') return e.name;
  if (e.type === 'member') {
    const base = exprPath(e.object);
    return base === undefined ? undefined : `${base}.${e.property}`;
  }
  return undefined;
}

/** Every node of `e` (pre-order). */
export function* walkTemplateExpr(e: TemplateExpr): Generator<TemplateExpr> {
  yield e;
  switch (e.type) {
    case 'member':
      yield* walkTemplateExpr(e.object);
      break;
    case 'index':
      yield* walkTemplateExpr(e.object);
      yield* walkTemplateExpr(e.index);
      break;
    case 'call':
      yield* walkTemplateExpr(e.callee);
      for (const a of [...e.args, ...Object.values(e.kwargs)]) yield* walkTemplateExpr(a);
      break;
    case 'filter':
      yield* walkTemplateExpr(e.input);
      for (const a of [...e.args, ...Object.values(e.kwargs)]) yield* walkTemplateExpr(a);
      break;
    case 'list':
      for (const item of e.items) yield* walkTemplateExpr(item);
      break;
    default:
      break;
  }
}
