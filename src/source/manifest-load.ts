/**
 * Reading Kubernetes manifests from files: every *.yaml, *.yml and *.json under
 * the given paths (folders recursively, in sorted order), YAML multi-document
 * or JSON, `kind: List` flattened. Anything that is not a supported object is
 * an error naming the file, the document and its line, and the fix.
 *
 * Symbolic links are followed (a ConfigMap volume is links into a hidden
 * `..data` folder); a file reached twice is read once, a folder linking back
 * up is walked once. An entry that cannot be read (a dangling link named
 * *.yaml, a folder without permission) fails the whole source, so the
 * controller's source fence holds deletions back instead of deleting the
 * records of the file it could not see.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { FILE_LIMITS, readTextBounded } from '../util/bounded-read.ts';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { ExtdnsError } from '../errors/errors.ts';
import { SourceErrors } from './errors.ts';
import { CLUSTER_SCOPED_KINDS, isRecord, type Fields, type KubeObject, type LookupKind } from './kube.ts';
import { ENDPOINT_KINDS, isEndpointKind } from './translate.ts';

const MANIFEST_EXTENSIONS: ReadonlySet<string> = new Set(['.yaml', '.yml', '.json']);

const LOOKUP_KINDS: Readonly<Record<LookupKind, string>> = {
  Node: 'v1',
  Pod: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Gateway: 'gateway.networking.k8s.io/v1',
  ListenerSet: 'gateway.networking.k8s.io/v1',
  Namespace: 'v1',
};

export const SUPPORTED_KINDS: readonly string[] = [...new Set([...Object.keys(ENDPOINT_KINDS), ...Object.keys(LOOKUP_KINDS)])];

/** An object and where it was read. */
export interface LoadedObject {
  object: KubeObject;
  file: string;
  /** 1-based document number in the file. */
  document: number;
  line: number;
}

/** The files under `paths`: folders walked recursively; named files read whatever their extension. */
export async function listManifestFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const walked = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch((err: unknown) => {
      throw unreadable(path, err);
    });
    if (info.isDirectory()) await walk(path, walked, files);
    else files.push(path);
  }
  return onePathPerFile(files);
}

const isManifestName = (name: string): boolean => MANIFEST_EXTENSIONS.has(extname(name).toLowerCase());

/** Appends the manifest files under `dir` in sorted order, following links; each real folder is walked once. */
async function walk(dir: string, walked: Set<string>, out: string[]): Promise<void> {
  const real = await realpath(dir).catch((err: unknown) => {
    throw unreadable(dir, err);
  });
  if (walked.has(real)) return;
  walked.add(real);
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    throw unreadable(dir, err);
  });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    const kind = await entryKind(entry, path);
    if (kind === 'folder') await walk(path, walked, out);
    // Anything else with a manifest name is read, and a FIFO or device refused there.
    else if (kind === 'file' && isManifestName(entry.name)) out.push(path);
  }
}

async function entryKind(entry: Dirent, path: string): Promise<'folder' | 'file' | 'ignored'> {
  if (entry.isDirectory()) return 'folder';
  if (!entry.isSymbolicLink()) return entry.isFile() || isManifestName(entry.name) ? 'file' : 'ignored';
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch (err) {
    // A dangling link named like a manifest: its objects would silently vanish.
    // Transient: a ConfigMap update swaps its links, and the next sync sees the new ones.
    if (isManifestName(entry.name)) throw unreadable(path, err, true);
    return 'ignored';
  }
}

/**
 * One path per real file, the first that is not inside a hidden `..` folder
 * (a ConfigMap's `..2026_01_01…/web.yaml` and its link `web.yaml` are one file).
 */
async function onePathPerFile(files: readonly string[]): Promise<string[]> {
  const byReal = new Map<string, string>();
  const hidden = (p: string): boolean => p.split(sep).some((part) => part.startsWith('..') && part !== '..');
  for (const file of files) {
    const real = await realpath(file).catch((err: unknown) => {
      throw unreadable(file, err);
    });
    const kept = byReal.get(real);
    if (kept === undefined || (hidden(kept) && !hidden(file))) byReal.set(real, file);
  }
  return [...byReal.values()];
}

/** Every object in every file under `paths`; throws on the first problem. */
export async function loadManifests(paths: readonly string[]): Promise<LoadedObject[]> {
  const objects: LoadedObject[] = [];
  for (const file of await listManifestFiles(paths)) {
    const text = await readTextBounded(file, FILE_LIMITS.manifest).catch((err: unknown) => {
      // Listed a moment ago and gone now: a ConfigMap swap or an editor's rename; the next sync reads it.
      const vanished = isRecord(err) && err.code === 'ENOENT' && !paths.includes(file);
      throw unreadable(file, err, vanished ? true : undefined);
    });
    objects.push(...parseManifest(file, text));
  }
  rejectDuplicates(objects);
  return objects;
}

/** The objects in one file's text. */
export function parseManifest(file: string, text: string): LoadedObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const out: LoadedObject[] = [];
  let index = 0;
  for (const doc of docs) {
    index++;
    const at = { file, document: index, line: lineCounter.linePos(doc.contents?.range[0] ?? doc.range[0]).line };
    const error = doc.errors[0];
    if (error !== undefined) {
      const line = error.linePos?.[0].line ?? at.line;
      throw invalid({ ...at, line }, `is not valid YAML: ${firstLine(error.message)}`, 'Fix the syntax at that line');
    }
    const value = documentValue(doc, at);
    if (value === null || value === undefined) continue; // an empty document, e.g. after a trailing "---"
    out.push(...objectsOf(value, at, itemLines(doc, lineCounter)));
  }
  return out;
}

type Where = Omit<LoadedObject, 'object'>;

/** The yaml library's own default: enough for hand-written manifests, far from exponential blow-up. */
const MAX_ALIAS_COUNT = 100;

/** The document as plain data; alias trouble is an error naming the file (the yaml library throws a bare ReferenceError). */
function documentValue(doc: Document.Parsed, at: Where): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/excessive alias count/i.test(message)) {
      throw invalid(at, `expands YAML aliases more than ${MAX_ALIAS_COUNT} times (a "billion laughs" document)`, 'Write the values out instead of nesting aliases');
    }
    const unresolved = /unresolved alias[^:]*: *(.*)$/i.exec(message);
    if (unresolved !== null) {
      const name = unresolved[1] ?? '';
      throw invalid(at, `uses the alias *${name} without an anchor &${name} before it`, 'Define the anchor first, or write the value out');
    }
    throw invalid(at, `cannot be read as YAML: ${firstLine(message)}`, 'Fix the document');
  }
}

function objectsOf(value: unknown, at: Where, lines: readonly number[]): LoadedObject[] {
  if (isRecord(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.map((item: unknown, i) => ({ object: toKubeObject(item, { ...at, line: lines[i] ?? at.line }), ...at, line: lines[i] ?? at.line }));
  }
  return [{ object: toKubeObject(value, at), ...at }];
}

/** Line of each `items` entry of a List document. */
function itemLines(doc: Document.Parsed, lineCounter: LineCounter): number[] {
  if (!isMap(doc.contents)) return [];
  const items = doc.contents.get('items', true);
  if (!isSeq(items)) return [];
  return items.items.map((node) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range === undefined ? 0 : lineCounter.linePos(range[0]).line;
  });
}

const NOT_AN_OBJECT_FIX =
  'Each document must be a Kubernetes object with apiVersion, kind and metadata.name; remove other documents from --manifest-path';

function toKubeObject(value: unknown, at: Where): KubeObject {
  if (!isRecord(value)) throw invalid(at, 'is not a Kubernetes object (not a mapping)', NOT_AN_OBJECT_FIX);
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw invalid(at, 'is not a Kubernetes object (apiVersion or kind missing)', NOT_AN_OBJECT_FIX);
  }
  const expected = expectedApiVersion(kind);
  if (expected === undefined) {
    throw invalid(at, `has kind "${kind}", which the manifest source does not read`,
      `Supported kinds: ${SUPPORTED_KINDS.join(', ')}. Move other objects out of --manifest-path`);
  }
  if (apiVersion !== expected) {
    throw invalid(at, `is a ${kind} with apiVersion "${apiVersion}"`, `Use apiVersion: ${expected}`);
  }
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') throw invalid(at, `is a ${kind} without metadata.name`, 'Give it a name');
  const labels = stringMapField(metadata, 'labels', at);
  const annotations = stringMapField(metadata, 'annotations', at);
  const namespace = CLUSTER_SCOPED_KINDS.has(kind) ? undefined : typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';
  return {
    ...value,
    apiVersion,
    kind,
    metadata: {
      ...metadata,
      name,
      ...(namespace === undefined ? {} : { namespace }),
      ...(labels === undefined ? {} : { labels }),
      ...(annotations === undefined ? {} : { annotations }),
    },
  };
}

function expectedApiVersion(kind: string): string | undefined {
  if (isEndpointKind(kind)) return ENDPOINT_KINDS[kind].apiVersion;
  return Object.hasOwn(LOOKUP_KINDS, kind) ? LOOKUP_KINDS[kind as LookupKind] : undefined;
}

/** Labels and annotations must map strings to strings, as the API server requires. */
function stringMapField(metadata: Fields, field: 'labels' | 'annotations', at: Where): Record<string, string> | undefined {
  const value = metadata[field];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid(at, `has metadata.${field} that is not a mapping`, `Write metadata.${field} as key: "value" lines`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw invalid(at, `has metadata.${field}["${key}"] = ${JSON.stringify(v)}, which is not a string`, `Quote the value: ${key}: "${String(v)}"`);
    }
  }
  return { ...value } as Record<string, string>;
}

function rejectDuplicates(objects: readonly LoadedObject[]): void {
  const seen = new Map<string, LoadedObject>();
  for (const o of objects) {
    const key = `${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw invalid(o, `defines ${key} again (first in ${first.file}, document ${first.document}, line ${first.line})`, 'Keep one definition per object');
    }
    seen.set(key, o);
  }
}

function invalid(at: Where, problem: string, fix: string): ExtdnsError {
  return new ExtdnsError(
    SourceErrors.EXTDNS_SOURCE_MANIFEST_INVALID,
    `${at.file}: document ${at.document} (line ${at.line}) ${problem}. ${fix}.`,
  );
}

const PERMANENT_FS_ERRORS: ReadonlySet<string> = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOTDIR', 'EISDIR', 'ENOTREG', 'EFBIG']);

function unreadable(path: string, err: unknown, transient?: boolean): ExtdnsError {
  const code = isRecord(err) && typeof err.code === 'string' ? err.code : '';
  const reason = err instanceof Error ? err.message : String(err);
  return new ExtdnsError(
    SourceErrors.EXTDNS_SOURCE_MANIFEST_UNREADABLE,
    `cannot read manifest path ${path}: ${reason}. Check --manifest-path names an existing, readable file or folder.`,
    { cause: err, transient: transient ?? !PERMANENT_FS_ERRORS.has(code) },
  );
}

/** The parser's message without its own position suffix and source excerpt. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
