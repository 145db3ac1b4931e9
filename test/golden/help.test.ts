/**
 * Every flag of ExternalDNS v0.22.0, as its `external-dns --help` printed it
 * (test/golden/go-v0.22/help.txt): extdns defines each one with the same name,
 * the same EXTERNAL_DNS_* variable, the same kind (bool or valued) and the
 * same default; every other extdns flag is marked extdns-only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseGoDuration } from '../../src/config/go-values.ts';
import { envVarName, FLAGS, type FlagDef } from '../../src/config/schema.ts';

interface GoFlag {
  name: string;
  bool: boolean;
  /** The value kingpin shows after `=`: the default, or an upper-case placeholder when there is none. */
  shown: string;
  repeatable: boolean;
  env: string;
}

function parseHelp(text: string): GoFlag[] {
  const entries = text.split('\n').reduce<string[]>((acc, line) => {
    if (line.startsWith('  --')) acc.push(line);
    else if (acc.length > 0 && line.startsWith('   ')) acc.push(`${acc.pop() ?? ''} ${line.trim()}`);
    return acc;
  }, []);
  return entries.map((entry) => {
    const head = /^ {2}--(\[no-\])?([a-z0-9-]+)(?:=(\S*(?: \.\.\.)?))?/.exec(entry);
    const env = /\(\$(EXTERNAL_DNS_[A-Z0-9_]+)\)\s*$/.exec(entry)?.[1] ?? '';
    const shownRaw = head?.[3] ?? '';
    return { name: head?.[2] ?? '', bool: head?.[1] !== undefined, shown: shownRaw.replace(/ \.\.\.$/, ''), repeatable: shownRaw.endsWith(' ...'), env };
  });
}

const goFlags = parseHelp(readFileSync(new URL('./go-v0.22/help.txt', import.meta.url), 'utf8')).filter((f) => f.name !== 'help' && f.name !== 'version');
/** Deliberate differences (docs/compat.md, row "--tls-ca"): extdns takes several CA files. */
const REPEATABLE_IN_EXTDNS = new Set(['tls-ca']);
/**
 * In ExternalDNS's main branch after v0.22.0 (docs/compat.md, row "flags newer than v0.22.0"):
 * the v0.22.0 binary refuses them, extdns accepts them.
 */
const AFTER_V0_22_0 = new Set(['webhook-provider-read-header-timeout', 'webhook-provider-idle-timeout', 'webhook-provider-max-body-size', 'crd-registry-namespace']);
const ours = new Map<string, FlagDef>((FLAGS as readonly FlagDef[]).map((f) => [f.name, f]));

test('the golden --help is whole: every entry has a name and its EXTERNAL_DNS_* variable', () => {
  assert.ok(goFlags.length > 170, `${goFlags.length} flags`);
  for (const f of goFlags) assert.equal(f.env, envVarName(f.name), f.name);
});

test('every v0.22 flag exists in extdns with its variable and kind; the rest are marked extdns-only', () => {
  for (const go of goFlags) {
    const flag = ours.get(go.name);
    assert.ok(flag, `--${go.name} is missing`);
    assert.notEqual(flag.extdnsOnly, true, `--${go.name} is a v0.22 flag`);
    assert.equal(flag.kind === 'bool', go.bool, `--${go.name}: bool in one, valued in the other`);
    if (!REPEATABLE_IN_EXTDNS.has(go.name)) assert.equal(flag.kind === 'strings' || flag.kind === 'enums', go.repeatable, `--${go.name}: repeatable`);
  }
  const goNames = new Set(goFlags.map((f) => f.name));
  for (const flag of ours.values()) {
    if (!goNames.has(flag.name) && !AFTER_V0_22_0.has(flag.name)) assert.equal(flag.extdnsOnly, true, `--${flag.name} is not in v0.22`);
  }
  for (const name of AFTER_V0_22_0) assert.ok(ours.has(name) && !goNames.has(name), `--${name}: the list of newer flags is current`);
});

/** kingpin shows the default, or the flag's name in capitals when there is none (PlaceHolder for required ones). */
function placeholderOnly(go: GoFlag): boolean {
  return go.shown === go.name.toUpperCase() || ['provider', 'source'].includes(go.shown);
}

function sameDefault(flag: FlagDef, go: GoFlag): boolean {
  const d = flag.default;
  if (Array.isArray(d)) {
    const list = d as readonly string[];
    // A repeatable default shows its first value only, cut with "..." when longer (`A...`).
    return go.shown === '' ? list.length === 0 || list.every((v) => v === '') : go.shown.replace(/\.\.\.$/, '') === (list[0] ?? '');
  }
  const shown = /^".*"$/.test(go.shown) ? (JSON.parse(go.shown) as string) : go.shown;
  if (flag.kind === 'duration') return parseGoDuration(shown) === parseGoDuration(String(d));
  return shown === String(d);
}

test('every v0.22 default is extdns\'s default', () => {
  const wrong: string[] = [];
  for (const go of goFlags) {
    const flag = ours.get(go.name);
    if (flag === undefined || go.bool || REPEATABLE_IN_EXTDNS.has(go.name)) continue;
    if (placeholderOnly(go)) {
      const d = flag.default;
      if (!(Array.isArray(d) ? d.length === 0 : d === '' || flag.required === true)) wrong.push(`--${go.name}: v0.22 has no default, extdns ${JSON.stringify(d)}`);
    } else if (!sameDefault(flag, go)) {
      wrong.push(`--${go.name}: v0.22 ${go.shown}, extdns ${JSON.stringify(flag.default)}`);
    }
  }
  assert.deepEqual(wrong, []);
});
