/**
 * Rewrites a zone file in place: only the lines of changed record sets are
 * deleted, rewritten or added (and the SOA serial token replaced); every
 * other byte (comments, blank lines, order, formatting, directives) stays.
 *
 * Removing or adding a line can change what BIND reads on the lines after it:
 * a line starting with a blank takes the previous owner, and without `$TTL` a
 * record without a TTL takes the last explicit one. So the new text is parsed
 * again and every untouched record compared with what it was; one that would
 * now mean something else gets its owner or TTL written out explicitly, and
 * the check repeats until the zone reads as intended.
 */
import { ExtdnsError } from '../../errors/errors.ts';
import { rrsetKey } from './endpoints.ts';
import type { PlannedOp, PlannedSet, ZoneSets } from './batch.ts';
import { ZonefileErrors } from './errors.ts';
import { lex } from './lexer.ts';
import { parseZoneEachSliced, type FileRecord, type ParsedZone } from './parse.ts';
import { ownerText } from './render.ts';
import { filterSliced, SliceCounter, sortSliced, type Sliced } from '../../util/sliced.ts';

interface Splice {
  start: number;
  end: number;
  text: string;
  /** An insertion that becomes part of the line starting at its position (so that line does not move). */
  joinsLine?: true;
}

export interface EditInput {
  text: string;
  file: string;
  parsed: ParsedZone;
  sets: ZoneSets;
  ops: readonly PlannedOp[];
  serial: number;
}

const MAX_FIXUP_ROUNDS = 4;

interface EditCtx {
  text: string;
  parsed: ParsedZone;
  /** Records whose lines are deleted or rewritten. */
  touched: Set<FileRecord>;
  splices: Splice[];
  /** The file's line ending (CRLF files stay CRLF). */
  eol: string;
}

/** The edited text (a Sliced computation: see ../../util/sliced.ts). */
export function* editZone(input: EditInput): Sliced<string> {
  const { text, parsed } = input;
  const ctx: EditCtx = { text, parsed, touched: new Set<FileRecord>(), splices: [], eol: text.includes('\r\n') ? '\r\n' : '\n' };
  const { touched, splices } = ctx;
  let byName: Map<string, FileRecord> | undefined;
  const slice = new SliceCounter();
  for (const p of input.ops) {
    if (slice.full()) yield;
    const existing = input.sets.get(p.key) ?? [];
    if (p.set === null) {
      for (const r of existing) {
        touched.add(r);
        splices.push({ start: r.start, end: r.end, text: '' });
      }
      continue;
    }
    const missing = keepOrRewrite(ctx, existing, p.set);
    if (missing.length === 0) continue;
    let anchor = lastByPosition(existing);
    if (anchor === undefined) {
      byName ??= yield* lastRecordByName(parsed.records);
      anchor = byName.get(p.set.name);
    }
    splices.push(insertion(ctx, anchor, p.set, missing));
  }
  const soa = parsed.records.find((r) => r.type === 'SOA');
  if (soa?.serial !== undefined) splices.push({ ...soa.serial, text: String(input.serial) });
  let out = yield* applySplices(text, splices);
  const kept = yield* filterSliced(parsed.records, (r) => !touched.has(r));
  let offsets = yield* mapOffsets(kept.map((r) => r.start), splices);
  for (let round = 0; ; round++) {
    const { fixes, found } = yield* readBack(out, { origin: parsed.origin, file: input.file, kept, offsets, ops: input.ops });
    if (fixes.length === 0) {
      yield* verifyPlanned(found, input.ops, input.file);
      return out;
    }
    if (round >= MAX_FIXUP_ROUNDS) throw internal(input.file, 'unmanaged records keep changing meaning');
    out = yield* applySplices(out, fixes);
    offsets = yield* mapOffsets(offsets, fixes);
  }
}

/** Keeps lines whose data stays (rewriting their TTL if it changes), deletes the rest; returns data still to add. */
function keepOrRewrite(ctx: EditCtx, existing: readonly FileRecord[], set: PlannedSet): string[] {
  const { text, splices, touched, eol } = ctx;
  const want = new Set(set.rdata);
  const kept = new Set<string>();
  for (const r of existing) {
    if (want.has(r.rdata) && !kept.has(r.rdata)) {
      kept.add(r.rdata);
      if (r.ttl === set.ttl) continue;
      touched.add(r);
      splices.push({ start: r.start, end: r.end, text: `${linePrefix(text, r)}${body(set, r.rdata)}${trailingComment(text, r)}${eol}` });
      continue;
    }
    touched.add(r);
    splices.push({ start: r.start, end: r.end, text: '' });
  }
  return set.rdata.filter((r) => !kept.has(r));
}

/**
 * The owner part of a line as written, to keep it when the rest is rewritten.
 * An inherited owner is written out: the line it came from may be going.
 */
function linePrefix(text: string, r: FileRecord): string {
  if (r.ownerEnd < 0) return `${ownerText(r.owner, r.origin)} `;
  const prefix = text.slice(r.start, r.bodyStart);
  if (!prefix.includes('(') && /[ \t]$/.test(prefix)) return prefix;
  return `${text.slice(r.start, r.ownerEnd)} `;
}

/** The comment at the end of a one-line record (kept when its TTL is rewritten), with the blanks before it. */
function trailingComment(text: string, r: FileRecord): string {
  const line = text.slice(r.start, r.end).replace(/\r?\n$/, '');
  if (line.includes('\n')) return '';
  const last = lex(line)[0]?.tokens.at(-1);
  const rest = last === undefined ? '' : line.slice(last.end);
  return /^[ \t]*;/.test(rest) ? rest : '';
}

function body(set: PlannedSet, rdata: string, defaultTtl?: number): string {
  return `${set.ttl === defaultTtl ? '' : `${set.ttl} `}IN ${set.type} ${rdata}`;
}

/** New lines after `anchor` (the set's or the name's last line), or at the end of the file. */
function insertion(ctx: EditCtx, anchor: FileRecord | undefined, set: PlannedSet, rdata: readonly string[]): Splice {
  const { text, parsed, eol } = ctx;
  const at = anchor?.end ?? text.length;
  const origin = anchor?.origin ?? parsed.tailOrigin;
  const owner = ownerText(anchor?.owner ?? `${set.name}.`, origin);
  const lead = at > 0 && text.charCodeAt(at - 1) !== 10 ? eol : '';
  // The TTL is left out only where BIND has a default equal to it (then the line means the same).
  const dflt = anchor === undefined ? parsed.tailDefaultTtl : anchor.defaultTtl;
  return { start: at, end: at, text: `${lead}${rdata.map((r) => `${owner} ${body(set, r, dflt)}${eol}`).join('')}` };
}

function lastByPosition(records: readonly FileRecord[]): FileRecord | undefined {
  let last: FileRecord | undefined;
  for (const r of records) if (last === undefined || r.end > last.end) last = r;
  return last;
}

function* lastRecordByName(records: readonly FileRecord[]): Sliced<Map<string, FileRecord>> {
  const map = new Map<string, FileRecord>();
  const slice = new SliceCounter();
  for (const r of records) {
    map.set(r.name, r);
    if (slice.full()) yield;
  }
  return map;
}

/** The text with the splices made (sorted in place by position). */
function* applySplices(text: string, splices: Splice[]): Sliced<string> {
  yield* sortSliced(splices, (a, b) => a.start - b.start || a.end - b.end);
  // Joined a slice at a time: one join of hundreds of thousands of parts holds the loop too.
  const chunks: string[] = [];
  let parts: string[] = [];
  let pos = 0;
  const slice = new SliceCounter();
  for (const s of splices) {
    parts.push(text.slice(pos, s.start), s.text);
    pos = Math.max(pos, s.end);
    if (slice.full()) {
      chunks.push(parts.join(''));
      parts = [];
      yield;
    }
  }
  parts.push(text.slice(pos));
  chunks.push(parts.join(''));
  return chunks.join('');
}

/**
 * Where ascending offsets of the text before `splices` (sorted, none covering
 * an offset) land after them. An insertion at an offset's position lands
 * before it.
 */
function* mapOffsets(offsets: readonly number[], splices: readonly Splice[]): Sliced<number[]> {
  const out: number[] = [];
  let delta = 0;
  let k = 0;
  const slice = new SliceCounter();
  for (const offset of offsets) {
    if (slice.full()) yield;
    for (let s = splices[k]; s !== undefined && (s.start < offset || (s.start === offset && s.end === s.start && s.joinsLine !== true)); s = splices[++k]) {
      delta += s.text.length - (s.end - s.start);
    }
    out.push(offset + delta);
  }
  return out;
}

/**
 * Parses the edited text (streaming: zones can be large) and returns the
 * splices that make each untouched record read as before (owner and TTL
 * written out where they changed), and the records of the planned sets.
 */
interface ReadBackCtx {
  origin: string;
  file: string;
  /** Untouched records in file order, and where their lines start now. */
  kept: readonly FileRecord[];
  offsets: readonly number[];
  ops: readonly PlannedOp[];
}

function* readBack(text: string, where: ReadBackCtx): Sliced<{ fixes: Splice[]; found: Map<string, FileRecord[]> }> {
  const { kept, offsets, ops } = where;
  const fixes: Splice[] = [];
  const found = new Map<string, FileRecord[]>();
  const slice = new SliceCounter();
  for (const p of ops) {
    found.set(p.key, []);
    if (slice.full()) yield;
  }
  let i = 0;
  yield* parseZoneEachSliced(text, where, (is) => {
    found.get(rrsetKey(is.name, is.type))?.push(is);
    const was = kept[i];
    if (was === undefined || offsets[i] !== is.start) return;
    i++;
    if (is.type !== was.type) throw internal(where.file, `the record at line ${was.line} was lost while editing`);
    if (is.owner !== was.owner) fixes.push({ start: is.start, end: is.start, text: ownerText(was.owner, is.origin), joinsLine: true });
    if (is.ttl !== was.ttl) fixes.push({ start: is.bodyStart, end: is.bodyStart, text: `${was.ttl} ` });
  });
  if (i !== kept.length) throw internal(where.file, `the record at line ${kept[i]?.line ?? '?'} was lost while editing`);
  return { fixes, found };
}

/** Guards the editor: each planned set reads back exactly as planned. */
function* verifyPlanned(found: ReadonlyMap<string, FileRecord[]>, ops: readonly PlannedOp[], file: string): Sliced<void> {
  const slice = new SliceCounter();
  for (const p of ops) {
    if (slice.full()) yield;
    const got = found.get(p.key) ?? [];
    const want = p.set?.rdata ?? [];
    const data = [...new Set(got.map((r) => r.rdata))].sort();
    const ttlOk = p.set === null || got.every((r) => r.ttl === p.set?.ttl);
    if (!ttlOk || data.length !== want.length || data.some((d, i) => d !== want[i])) {
      throw internal(file, `the rewritten ${p.key.replace('\u0000', ' ')} does not read back as planned`);
    }
  }
}

function internal(file: string, what: string): ExtdnsError {
  return new ExtdnsError(ZonefileErrors.EXTDNS_ZONEFILE_IO, `${file}: internal error, nothing was written: ${what}; please report this with the zone file`);
}
