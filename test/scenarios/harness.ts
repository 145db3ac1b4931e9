/**
 * The shared half of the scenario runners (run.test.ts through the manifest
 * source, api.test.ts through the API-backed sources): reading the YAML files,
 * mapping a scenario's command-line flags to the options of the translation,
 * the source and the pipeline, and comparing what came out with what the
 * scenario expects.
 *
 * File format:
 *   scenarios:
 *     - title: ...
 *       sources: [node, pod]                              # optional: the --source names whose kinds make records
 *                                                         # (default: every kind but Node, as the manifest source does)
 *       flags: { publish-internal-services: true, ... }   # optional
 *       objects: [ ...Kubernetes objects... ]            # or files: { name.yaml: "raw text" }
 *       endpoints: [ { dnsName, recordType, targets, recordTTL?, setIdentifier?, labels?, providerSpecific? } ]
 *       warnings: [ "substring of one warning", ... ]     # optional; the count must match too
 *       error: "substring of the error"                   # instead of endpoints, when the call must fail
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Endpoint } from '../../src/endpoint/endpoint.ts';
import { errorMessage } from '../../src/errors/errors.ts';
import type { LogEntry, Logger } from '../../src/log/logger.ts';
import { parseGoDuration } from '../../src/source/annotations.ts';
import { DEFAULT_MANIFEST_KINDS, type ManifestSourceOptions } from '../../src/source/manifest.ts';
import { createSourcePipeline, DEFAULT_PIPELINE_OPTIONS, type PipelineCollection, type SourcePipelineOptions } from '../../src/source/pipeline.ts';
import { parseSelector } from '../../src/source/selector.ts';
import { compileTemplate } from '../../src/source/template-flags.ts';
import { isKubeSourceName, SOURCE_KINDS, type EndpointKind, type KubeSourceName } from '../../src/source/translate.ts';
import { translateOptions, type TranslateOptions } from '../../src/source/shapes.ts';
import type { NamedSource } from '../../src/source/wrappers/multi.ts';
import { captureLogger } from '../support/capture-logger.ts';

export interface ExpectedEndpoint {
  dnsName: string;
  recordType: string;
  targets?: string[];
  recordTTL?: number;
  setIdentifier?: string;
  labels?: Record<string, string>;
  providerSpecific?: { name: string; value: string }[];
}

export interface Scenario {
  title: string;
  sources?: string[];
  flags?: Record<string, unknown>;
  objects?: unknown[];
  files?: Record<string, string>;
  endpoints?: ExpectedEndpoint[];
  warnings?: string[];
  error?: string;
}

export interface ScenarioFile {
  file: string;
  scenarios: Scenario[];
}

/** Every test/scenarios/*.yaml, sorted by name. */
export async function loadScenarioFiles(dir: string): Promise<ScenarioFile[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const out: ScenarioFile[] = [];
  for (const file of names) {
    const doc = parse(await readFile(join(dir, file), 'utf8')) as { scenarios: Scenario[] };
    out.push({ file, scenarios: doc.scenarios });
  }
  return out;
}

/** The options a scenario's flags give: the source's filters are in the manifest source's shape. */
export interface ScenarioOptions {
  translate: TranslateOptions;
  source: Omit<ManifestSourceOptions, 'paths' | 'translate'>;
  pipeline: SourcePipelineOptions;
}

/**
 * Runs one scenario: `build` makes the named sources from the options (a throw
 * counts as a failure of the call, as an option the source refuses fails at
 * creation), the pipeline collects once, and the result is compared.
 * `cleanError` rewrites an error message before comparison (e.g. drops a temporary path).
 */
export async function runScenario(
  s: Scenario,
  build: (options: ScenarioOptions, logger: Logger) => Promise<readonly NamedSource[]>,
  cleanError: (message: string) => string = (m) => m,
): Promise<void> {
  const options = optionsFromFlags(s.flags ?? {});
  const { logger, entries } = captureLogger();
  let result: PipelineCollection;
  try {
    const stage = createSourcePipeline(await build(options, logger), options.pipeline, { logger });
    result = await stage.collect(AbortSignal.timeout(10_000));
  } catch (err) {
    result = { endpoints: [], failures: [{ source: 'scenario', error: err }], invalid: [], duplicates: [] };
  }
  checkResult(s, result, entries, cleanError);
}

/** Asserts the scenario's expected error, or its endpoints and warnings. */
export function checkResult(s: Scenario, result: PipelineCollection, entries: readonly LogEntry[], cleanError: (message: string) => string): void {
  if (s.error !== undefined) {
    assert.equal(result.failures.length, 1, 'expected the source to fail');
    assert.deepEqual(result.endpoints, [], 'a failing source gives no partial endpoints');
    const message = cleanError(errorMessage(result.failures[0]?.error));
    assert.ok(message.includes(s.error), `error "${message}" should contain "${s.error}"`);
    return;
  }
  assert.deepEqual(result.failures.map((f) => errorMessage(f.error)), []);
  assert.deepEqual(normalize(result.endpoints, s.endpoints ?? []), sortEndpoints((s.endpoints ?? []).map(withDefaults)));

  const warnings = entries.filter((e) => e.level === 'warning').map((e) => `${typeof e.fields.resource === 'string' ? e.fields.resource : ''}: ${e.msg}`);
  const expected = s.warnings ?? [];
  assert.equal(warnings.length, expected.length, `warnings:\n${warnings.join('\n')}`);
  for (const w of expected) assert.ok(warnings.some((got) => got.includes(w)), `no warning contains "${w}":\n${warnings.join('\n')}`);
}

/** The scenario's --source names (default: those whose kinds the manifest source makes records of by default). */
export function sourceNamesOf(sources: string[] | undefined): KubeSourceName[] {
  if (sources === undefined) {
    return (Object.keys(SOURCE_KINDS) as KubeSourceName[]).filter((name) => DEFAULT_MANIFEST_KINDS.includes(SOURCE_KINDS[name].kind));
  }
  return sources.map((name) => {
    if (!isKubeSourceName(name)) throw new Error(`scenario uses unknown source "${name}"`);
    return name;
  });
}

/** The endpoint kinds of the scenario's --source names (absent: the manifest source's default). */
export function kindsOf(sources: string[] | undefined): { kinds?: EndpointKind[] } {
  if (sources === undefined) return {};
  return { kinds: sourceNamesOf(sources).map((name) => SOURCE_KINDS[name].kind) };
}

/** Expected fields left out default like the Endpoint's unset values; labels are compared only when given. */
function withDefaults(e: ExpectedEndpoint): Endpoint {
  return {
    dnsName: e.dnsName,
    recordType: e.recordType,
    targets: [...(e.targets ?? [])].sort(),
    setIdentifier: e.setIdentifier ?? '',
    recordTTL: e.recordTTL ?? 0,
    labels: e.labels ?? {},
    providerSpecific: sortProps(e.providerSpecific ?? []),
  };
}

function normalize(got: Endpoint[], expected: ExpectedEndpoint[]): Endpoint[] {
  const checkLabels = new Set(expected.filter((e) => e.labels !== undefined).map((e) => key(e)));
  return sortEndpoints(
    got.map((e) => ({
      ...e,
      targets: [...e.targets].sort(),
      labels: checkLabels.has(key(e)) ? e.labels : {},
      providerSpecific: sortProps(e.providerSpecific),
    })),
  );
}

function key(e: { dnsName: string; recordType: string; setIdentifier?: string }): string {
  return `${e.dnsName} ${e.recordType} ${e.setIdentifier ?? ''}`;
}

function sortProps(p: { name: string; value: string }[]): { name: string; value: string }[] {
  return [...p].sort((a, b) => a.name.localeCompare(b.name));
}

function sortEndpoints(eps: Endpoint[]): Endpoint[] {
  return [...eps].sort((a, b) => key(a).localeCompare(key(b)) || a.targets.join().localeCompare(b.targets.join()));
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);
const bool = (v: unknown): boolean => v === true;

interface MutableOptions {
  translate: { -readonly [K in keyof TranslateOptions]?: TranslateOptions[K] };
  source: Omit<ManifestSourceOptions, 'paths' | 'translate'>;
  pipeline: SourcePipelineOptions;
}

/** Command-line flag name → where its value goes. */
const FLAGS: Record<string, (o: MutableOptions, v: unknown) => void> = {
  'annotation-prefix': (o, v) => (o.translate.annotationPrefix = String(v)),
  'ignore-hostname-annotation': (o, v) => (o.translate.ignoreHostnameAnnotation = bool(v)),
  'publish-internal-services': (o, v) => (o.translate.publishInternalServices = bool(v)),
  'publish-host-ip': (o, v) => (o.translate.publishHostIp = bool(v)),
  'always-publish-not-ready-addresses': (o, v) => (o.translate.alwaysPublishNotReadyAddresses = bool(v)),
  'service-type-filter': (o, v) => (o.translate.serviceTypeFilter = list(v)),
  'exclude-unschedulable': (o, v) => (o.translate.excludeUnschedulable = bool(v)),
  'expose-internal-ipv6': (o, v) => (o.translate.exposeInternalIpv6 = bool(v)),
  'ignore-ingress-tls-spec': (o, v) => (o.translate.ignoreIngressTlsSpec = bool(v)),
  'ignore-ingress-rules-spec': (o, v) => (o.translate.ignoreIngressRulesSpec = bool(v)),
  'ingress-class': (o, v) => (o.translate.ingressClasses = list(v)),
  'combine-fqdn-annotation': (o, v) => (o.translate.combineFqdnAnnotation = bool(v)),
  'fqdn-template': (o, v) => (o.translate.fqdnTemplate = compileTemplate('--fqdn-template', list(v))),
  'target-template': (o, v) => (o.translate.targetTemplate = compileTemplate('--target-template', list(v))),
  'fqdn-target-template': (o, v) => (o.translate.fqdnTargetTemplate = compileTemplate('--fqdn-target-template', list(v))),
  compatibility: (o, v) => (o.translate.compatibility = String(v)),
  'pod-source-domain': (o, v) => (o.translate.podSourceDomain = String(v)),
  'ignore-non-host-network-pods': (o, v) => (o.translate.ignoreNonHostNetworkPods = bool(v)),
  'gateway-name': (o, v) => (o.translate.gatewayName = String(v)),
  'gateway-namespace': (o, v) => (o.translate.gatewayNamespace = String(v)),
  'gateway-label-filter': (o, v) => (o.translate.gatewayLabelFilter = parseSelector(String(v), '--gateway-label-filter')),
  'gateway-listener-sets': (o, v) => (o.translate.gatewayListenerSets = bool(v)),
  namespace: (o, v) => (o.source.namespace = String(v)),
  'label-filter': (o, v) => (o.source.labelFilter = String(v)),
  'annotation-filter': (o, v) => (o.source.annotationFilter = String(v)),
  'default-targets': (o, v) => (o.pipeline.defaultTargets = list(v)),
  'force-default-targets': (o, v) => (o.pipeline.forceDefaultTargets = bool(v)),
  'target-net-filter': (o, v) => (o.pipeline.targetNetFilter = list(v)),
  'exclude-target-net': (o, v) => (o.pipeline.excludeTargetNets = list(v)),
  'min-ttl': (o, v) => (o.pipeline.minTtl = Math.trunc(parseGoDuration(String(v)) ?? Number(v))),
  provider: (o, v) => (o.pipeline.provider = String(v)),
  'prefer-alias': (o, v) => (o.pipeline.preferAlias = bool(v)),
  'nat64-networks': (o, v) => (o.pipeline.nat64Networks = list(v)),
  'create-ptr': (o, v) => (o.pipeline.createPtr = bool(v)),
  'managed-record-types': (o, v) => (o.pipeline.ptrManaged = list(v).includes('PTR')),
};

/** Command-line flag names → the options of the source, the translation and the pipeline. */
export function optionsFromFlags(flags: Record<string, unknown>): ScenarioOptions {
  const o: MutableOptions = { translate: {}, source: {}, pipeline: { ...DEFAULT_PIPELINE_OPTIONS } };
  for (const [flag, value] of Object.entries(flags)) {
    const apply = FLAGS[flag];
    if (apply === undefined) throw new Error(`scenario uses unknown flag --${flag}`);
    apply(o, value);
  }
  return { translate: translateOptions(o.translate), source: o.source, pipeline: o.pipeline };
}
