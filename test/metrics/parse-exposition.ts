/**
 * A strict reader of Prometheus text format 0.0.4, written from the format's
 * rules (independently of src/metrics) so the tests catch output a scraper
 * would reject: HELP/TYPE once per family and before its samples, sample
 * names that belong to the family, label syntax and escapes, float values.
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: ParsedSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const TYPES = new Set(['counter', 'gauge', 'summary', 'histogram', 'untyped']);

export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, ParsedFamily>();
  let current: ParsedFamily | undefined;
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${line}`;
    const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
    if (meta !== null) {
      const [, kind, name = '', rest = ''] = meta;
      let family = families.get(name);
      if (family === undefined) {
        family = { name, type: '', help: '', samples: [] };
        families.set(name, family);
      } else if (family !== current || family.samples.length > 0) throw new Error(`${where}: family ${name} described twice or after its samples`);
      current = family;
      if (kind === 'HELP') family.help = unescape(rest, false, where);
      else {
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type`);
        family.type = rest;
      }
      return;
    }
    if (line.startsWith('#') || line.trim() === '') return;
    const sample = parseSample(line, where);
    if (current === undefined || !belongsTo(sample.name, current)) throw new Error(`${where}: sample outside its family`);
    current.samples.push(sample);
  });
  return families;
}

function belongsTo(sample: string, family: ParsedFamily): boolean {
  if (sample === family.name) return family.type !== 'histogram';
  const suffixes = family.type === 'summary' ? ['_sum', '_count'] : family.type === 'histogram' ? ['_sum', '_count', '_bucket'] : [];
  return suffixes.some((s) => sample === family.name + s);
}

function parseSample(line: string, where: string): ParsedSample {
  const head = new RegExp(`^(${NAME})`).exec(line);
  if (head === null) throw new Error(`${where}: bad metric name`);
  const name = head[1] ?? '';
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    while (line[pos] !== '}') {
      const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(pos));
      if (m === null) throw new Error(`${where}: bad label at ${pos}`);
      pos += m[0].length;
      let raw = '';
      while (line[pos] !== '"') {
        if (pos >= line.length) throw new Error(`${where}: unterminated label value`);
        if (line[pos] === '\\') {
          raw += line.slice(pos, pos + 2);
          pos += 2;
        } else {
          raw += line.charAt(pos);
          pos++;
        }
      }
      pos++;
      const key = m[1] ?? '';
      if (key in labels) throw new Error(`${where}: label ${key} twice`);
      labels[key] = unescape(raw, true, where);
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') throw new Error(`${where}: expected , or }`);
    }
    pos++;
  }
  const rest = line.slice(pos);
  const valueMatch = /^ (\S+)( -?\d+)?$/.exec(rest);
  if (valueMatch === null) throw new Error(`${where}: bad value part`);
  return { name, labels, value: parseValue(valueMatch[1] ?? '', where) };
}

function parseValue(text: string, where: string): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: bad value ${text}`);
  return Number(text);
}

function unescape(text: string, quoted: boolean, where: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && quoted) return '"';
    throw new Error(`${where}: bad escape \\${c}`);
  });
}

/** The value of one sample, or undefined. */
export function sampleValue(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name !== name) continue;
      const keys = Object.keys(labels);
      if (keys.every((k) => s.labels[k] === labels[k]) && Object.keys(s.labels).length >= keys.length) return s.value;
    }
  }
  return undefined;
}
