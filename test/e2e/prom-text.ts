/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: `# HELP`
 * and `# TYPE` lines, samples `name{label="value",...} value [timestamp]` with escaped label
 * values; every sample must belong to a declared family (`_bucket`, `_sum`, `_count` for
 * histograms and summaries), and a malformed line throws naming it.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const v = Number(text);
  if (text === '' || Number.isNaN(v)) throw new Error(`bad sample value ${JSON.stringify(text)} in: ${line}`);
  return v;
}

function parseSample(line: string): PromSample {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  const nameEnd = brace >= 0 && (space < 0 || brace < space) ? brace : space;
  const name = line.slice(0, nameEnd);
  if (!NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
  const labels: Record<string, string> = {};
  let i = nameEnd;
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const eq = line.indexOf('=', i);
      const label = line.slice(i, eq);
      if (!LABEL.test(label) || line[eq + 1] !== '"') throw new Error(`bad label in: ${line}`);
      let value = '';
      let j = eq + 2;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\') {
          const next = line[++j];
          value += next === 'n' ? '\n' : next;
        } else value += line[j];
      }
      if (j >= line.length) throw new Error(`unterminated label value in: ${line}`);
      if (label in labels) throw new Error(`label ${label} twice in: ${line}`);
      labels[label] = value;
      i = j + 1;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error(`expected , or } in: ${line}`);
    }
    i++;
  }
  const rest = line.slice(i).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2) throw new Error(`expected a value and an optional timestamp in: ${line}`);
  return { name, labels, value: parseValue(rest[0]!, line) };
}

export function parsePrometheusText(text: string): PromFamily[] {
  const families = new Map<string, PromFamily>();
  const family = (name: string): PromFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, help: '', type: 'untyped', samples: [] }));
    return f;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const f = family(meta[2]!);
      if (meta[1] === 'HELP') f.help = meta[3]!;
      else {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3]!)) throw new Error(`bad type in: ${line}`);
        f.type = meta[3] as PromFamily['type'];
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const s = parseSample(line);
    const owner = families.get(s.name)
      ?? families.get(s.name.replace(/_(bucket|sum|count)$/, ''))
      ?? families.get(s.name.replace(/_total$/, ''));
    if (!owner) throw new Error(`sample of an undeclared metric: ${line}`);
    if (owner.name !== s.name && s.name.endsWith('_bucket') && owner.type === 'histogram' && s.labels.le === undefined) throw new Error(`bucket without le: ${line}`);
    owner.samples.push(s);
  }
  return [...families.values()];
}
