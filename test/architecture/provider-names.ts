/**
 * Which files of src/ name a provider outside its own folder.
 *
 * A product file (src/**\/*.ts, tests beside the code excluded: they pick a
 * provider as a fixture) "names" provider P when, comments aside,
 * - it imports or re-exports from src/provider/P/, or
 * - an identifier or a code-like string literal (no whitespace: a flag, an
 *   environment variable, a key, a tag; template parts included) has one of
 *   P's words among its words, words being split at case changes and at any
 *   non-alphanumeric (`pdnsServer` → pdns, server; `'AWS_CA_BUNDLE'` → aws, ca,
 *   bundle; `'provider:webhook'` → provider, webhook).
 * P's words are its folder name plus its aliases (PowerDNS, Route53, skydns).
 * Prose (a string with whitespace: help text, a message) may mention any
 * provider; other ExternalDNS providers that share a word (aws-sd, AWS Cloud
 * Map) are not P.
 *
 * Run it as a script to print the files per provider:
 *   bash scripts/node-env.sh node test/architecture/provider-names.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { isProduct, tsFiles } from './source-files.ts';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const PROVIDERS_DIR = join(SRC, 'provider');

/** Each provider folder's words (lower case); a multi-word folder matches its words in sequence. */
export const PROVIDER_WORDS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  pdns: [['pdns'], ['powerdns']],
  aws: [['aws'], ['route53']],
  webhook: [['webhook']],
  inmemory: [['inmemory']],
  zonefile: [['zonefile']],
  rfc2136: [['rfc2136']],
  coredns: [['coredns'], ['skydns']],
  cloudflare: [['cloudflare']],
  google: [['google']],
  azure: [['azure']],
  'azure-private-dns': [['azure', 'private', 'dns']],
};

/** Folders that hold one provider together: azure-private-dns is a descriptor over src/provider/azure. */
const SAME_PROVIDER: Readonly<Record<string, readonly string[]>> = {
  azure: ['azure-private-dns'],
  'azure-private-dns': ['azure'],
};

/** Word sequences that are another ExternalDNS provider, not ours (aws-sd is AWS Cloud Map). */
const NOT_OURS: readonly (readonly string[])[] = [['aws', 'sd']];

/** The provider folders under src/provider (every one must have words above). */
export function providerFolders(): string[] {
  return readdirSync(PROVIDERS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'kit')
    .map((d) => d.name)
    .sort();
}


/** `pdnsServer` → [pdns, server]; `AWS_CA_BUNDLE` → [aws, ca, bundle]; `rfc2136-zone` → [rfc2136, zone]. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

function startsAt(list: readonly string[], seq: readonly string[], i: number): boolean {
  return seq.every((w, j) => list[i + j] === w);
}

function hasSequence(list: readonly string[], seq: readonly string[]): boolean {
  for (let i = 0; i + seq.length <= list.length; i++) {
    if (startsAt(list, seq, i) && !NOT_OURS.some((other) => startsAt(list, other, i))) return true;
  }
  return false;
}

/** Identifier and string texts of a file, and the paths it imports from (absolute). */
function tokensOf(file: string): { texts: string[]; imports: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const texts: string[] = [];
  const imports: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      imports.push(join(file, '..', node.moduleSpecifier.text));
    }
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) texts.push(node.text);
    else if ((ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) && !/\s/.test(node.text)) texts.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { texts, imports };
}

function names(file: string, provider: string, tokens: { texts: string[]; imports: string[] }): boolean {
  const folder = join(PROVIDERS_DIR, provider) + sep;
  if (tokens.imports.some((p) => p.startsWith(folder))) return true;
  const seqs = PROVIDER_WORDS[provider] ?? [[provider]];
  return tokens.texts.some((t) => {
    const list = words(t);
    return seqs.some((seq) => hasSequence(list, seq));
  });
}

/** For each provider folder: the src/ files outside it that name it (paths relative to the repository). */
export function filesNamingProviders(): Map<string, string[]> {
  const files = tsFiles(SRC, isProduct).map((f) => ({ file: f, tokens: tokensOf(f) }));
  const out = new Map<string, string[]>();
  for (const provider of providerFolders()) {
    const own = [provider, ...(SAME_PROVIDER[provider] ?? [])].map((p) => join(PROVIDERS_DIR, p) + sep);
    const naming = files.filter(({ file, tokens }) => !own.some((o) => file.startsWith(o)) && names(file, provider, tokens));
    out.set(provider, naming.map(({ file }) => relative(join(SRC, '..'), file)).sort());
  }
  return out;
}

if (import.meta.main) {
  for (const [provider, files] of filesNamingProviders()) {
    process.stdout.write(`${provider} ${files.length}\n${files.map((f) => `  ${f}\n`).join('')}`);
  }
}
