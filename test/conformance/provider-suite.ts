/**
 * The provider conformance suite: one set of behaviours every extdns provider
 * must show, run against each of them (in-memory, zone files, and later
 * PowerDNS, Route53, webhook, each faked at the wire). ExternalDNS has no such
 * suite; its strict in-memory provider defines the reference semantics, and
 * the safety rules of docs/safety.md (4 zero churn, 5 record and TXT
 * together, 8 exact deletes) are checked here for every provider.
 *
 * How to use it, in `test/conformance/<provider>.test.ts`:
 *
 *     runProviderConformance('zonefile', async () => {
 *       const dir = await makeZoneDir(['example.com', 'example.org']);
 *       return { provider: createZonefileProvider(…), zones: [...], cleanup: dir.cleanup };
 *     });
 *
 * `setup` runs once per test and must return a fresh target whose zones (two
 * or more) hold nothing but what the DNS service needs (SOA, apex NS). The
 * suite only creates names below those zones, and calls `cleanup` at the end
 * of every test, whether it passed or not. A provider that cannot hold some
 * record types lists the ones it can in `supportedTypes`.
 *
 * What a provider must do to pass:
 * - records() returns what applyChanges() wrote, in the form adjustEndpoints()
 *   gives desired endpoints (names lower case without trailing dot, targets
 *   canonical), so that planning again after a sync yields no change (rule 4),
 *   over 100 syncs, including non-canonical input (case, trailing dots, IPv6
 *   forms, unset TTL, target order, raw vs quoted TXT).
 * - applyChanges() handles creates, TTL and target updates, deletes, several
 *   zones and 200 changes in one call.
 * - It is strict and exact like ExternalDNS's in-memory provider (rule 8): a create
 *   of an existing record set, a delete of a missing one, or a delete whose
 *   values differ from the provider's, rejects the batch with an ExtdnsError
 *   naming the record, and no change of that batch is applied.
 * - Under the TXT registry (src/registry/txt), owned records get their `a-…`
 *   / `cname-…` ownership TXT, and records of another owner are left alone.
 *
 * The suite uses the real planner (src/plan/calculate.ts) and TXT registry,
 * so it also checks that the stages fit together.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, type Endpoint, type EndpointInit } from '../../src/endpoint/endpoint.ts';
import { ExtdnsError } from '../../src/errors/errors.ts';
import { calculate } from '../../src/plan/calculate.ts';
import { emptyChanges, type Changes } from '../../src/plan/plan.ts';
import type { Provider } from '../../src/provider/provider.ts';
import type { ApplyProgress } from '../../src/provider/progress.ts';
import { createTxtRegistry } from '../../src/registry/txt/registry.ts';
import { capabilitiesOf } from '../../src/provider/capabilities.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock, seededRandom } from '../support/fake-clock.ts';
import { createController, type SyncResult } from '../../src/controller/controller.ts';

export interface ConformanceTarget {
  provider: Provider;
  /** Two or more zone names, empty apart from what the service requires (SOA, NS). */
  zones: string[];
  /** Record types the provider can hold; default all of SUITE_TYPES. */
  supportedTypes?: readonly string[];
  cleanup(): Promise<void>;
}

/** The record types the suite exercises. */
export const SUITE_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'SRV'] as const;

const OWNER = 'conformance';
const FOREIGN_OWNER = 'someone-else';
const signal = new AbortController().signal;

export function runProviderConformance(name: string, setup: () => Promise<ConformanceTarget>): void {
  const run = (title: string, fn: (t: Ctx) => Promise<void>): void => {
    test(title, async () => {
      const target = await setup();
      try {
        assert.ok(target.zones.length >= 2, 'a conformance target needs at least two zones');
        await fn(new Ctx(target));
      } finally {
        await target.cleanup();
      }
    });
  };

  describe(name, () => {
    describe('records and changes', () => {
      run('creates a record set of every supported type and reads it back equal', async (t) => {
        const desired = t.samples(t.zone(0));
        await t.apply({ create: await t.adjust(desired) });
        await t.assertHolds(desired);
      });

      run('updates the TTL of a record set', async (t) => {
        const [a] = await t.create([{ dnsName: `ttl.${t.zone(0)}`, recordType: 'A', targets: ['192.0.2.10'], recordTTL: 300 }]);
        const longer = { ...a, recordTTL: 3600 };
        await t.apply({ updateOld: [a], updateNew: [longer] });
        await t.assertHolds([longer]);
      });

      run('updates the targets of a multi-target A record set', async (t) => {
        const name = `multi.${t.zone(0)}`;
        const [two] = await t.create([{ dnsName: name, recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], recordTTL: 300 }]);
        const [three] = await t.adjust([{ ...two, targets: ['192.0.2.3', '192.0.2.1', '192.0.2.2'] }]);
        await t.apply({ updateOld: [two], updateNew: [three] });
        await t.assertHolds([three]);
        const [one] = await t.adjust([{ ...three, targets: ['192.0.2.9'] }]);
        await t.apply({ updateOld: [three], updateNew: [one] });
        await t.assertHolds([one]);
      });

      run('deletes record sets and leaves the others alone', async (t) => {
        const created = await t.create(t.samples(t.zone(0)));
        const [gone, ...kept] = created;
        assert.ok(gone !== undefined);
        await t.apply({ delete: [gone] });
        await t.assertHolds(kept);
        await t.assertAbsent([gone]);
      });

      run('applies creates, updates and deletes in several zones in one call', async (t) => {
        const [a0, a1] = await t.create([
          { dnsName: `app.${t.zone(0)}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 },
          { dnsName: `app.${t.zone(1)}`, recordType: 'A', targets: ['192.0.2.2'], recordTTL: 300 },
        ]);
        const [n0, n1, u0] = await t.adjust([
          { dnsName: `new.${t.zone(0)}`, recordType: 'A', targets: ['192.0.2.3'], recordTTL: 300 },
          { dnsName: `new.${t.zone(1)}`, recordType: 'A', targets: ['192.0.2.4'], recordTTL: 300 },
          { ...a0, targets: ['192.0.2.5'] },
        ]);
        await t.apply({ create: [n0, n1], updateOld: [a0], updateNew: [u0], delete: [a1] });
        await t.assertHolds([n0, n1, u0]);
        await t.assertAbsent([a1]);
      });

      run('applies a batch of 200 changes in one call', async (t) => {
        const many = (prefix: string, octet: number): EndpointInit[] =>
          Array.from({ length: 200 }, (_, i) => ({
            dnsName: `${prefix}${i}.${t.zone(i % t.zones.length)}`, recordType: 'A', targets: [`198.51.${octet}.${i}`], recordTTL: 300,
          }));
        const created = await t.adjust(many('bulk', 100));
        await t.apply({ create: created });
        await t.assertHolds(created);
        // 100 updates and 100 deletes, again 200 changes in one call.
        const updated = await t.adjust(many('bulk', 101).slice(0, 100));
        // A provider that reports progress (src/provider/progress.ts) counts the call's 200 changes, rising, never past the total.
        const reports: [number, number][] = [];
        await t.apply({ updateOld: created.slice(0, 100), updateNew: updated, delete: created.slice(100) }, (applied, total) => reports.push([applied, total]));
        reports.forEach(([applied, total], i) => {
          assert.equal(total, 200);
          assert.ok(applied > (reports[i - 1]?.[0] ?? 0) && applied <= total, `progress ${applied} of ${total} after ${reports[i - 1]?.[0] ?? 0}`);
        });
        await t.assertHolds(updated);
        await t.assertAbsent(created.slice(100));
      });

      run('an empty batch changes nothing', async (t) => {
        await t.create(t.samples(t.zone(0)));
        const before = await t.snapshot();
        await t.apply({});
        assert.deepEqual(await t.snapshot(), before);
      });
    });

    describe('zero churn (rule 4)', () => {
      run('after one sync, 100 more syncs plan no change', async (t) => {
        const desired = t.sourceStyle(t.zone(0)).concat(t.sourceStyle(t.zone(1)));
        const first = await t.sync(desired, { ownerId: '' });
        assert.ok(count(first) > 0, 'the first sync creates the records');
        await t.assertHolds(await t.adjust(desired), { ignoreUnsetTtl: true });
        for (let i = 0; i < 100; i++) {
          const again = await t.sync(desired, { ownerId: '' });
          assert.equal(count(again), 0, `sync ${i + 2} planned changes:\n${describeChanges(again)}`);
        }
      });
    });

    describe('ownership through the TXT registry', () => {
      run('owned records get their ownership TXT, and the next sync plans nothing', async (t) => {
        const z = t.zone(0);
        const desired = t.supports('CNAME')
          ? [t.ep({ dnsName: `owned.${z}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 }), t.ep({ dnsName: `alias.${z}`, recordType: 'CNAME', targets: ['owned.example.net'], recordTTL: 300 })]
          : [t.ep({ dnsName: `owned.${z}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 })];
        await t.sync(desired, { ownerId: OWNER });
        const txt = new Map((await t.provider.records(signal)).filter((e) => e.recordType === 'TXT').map((e) => [e.dnsName, e.targets.join(' ')]));
        assert.match(txt.get(`a-owned.${z}`) ?? '(missing)', /heritage=external-dns,external-dns\/owner=conformance/);
        if (t.supports('CNAME')) assert.match(txt.get(`cname-alias.${z}`) ?? '(missing)', /external-dns\/owner=conformance/);
        assert.equal(count(await t.sync(desired, { ownerId: OWNER })), 0, 'the second sync plans nothing');
      });

      run('records of another owner, or of no owner, are left alone', async (t) => {
        const z = t.zone(0);
        const foreignTxt = `"heritage=external-dns,external-dns/owner=${FOREIGN_OWNER}"`;
        await t.create([
          { dnsName: `foreign.${z}`, recordType: 'A', targets: ['192.0.2.50'], recordTTL: 300 },
          { dnsName: `a-foreign.${z}`, recordType: 'TXT', targets: [foreignTxt], recordTTL: 300 },
          { dnsName: `foreign-gone.${z}`, recordType: 'A', targets: ['192.0.2.51'], recordTTL: 300 },
          { dnsName: `a-foreign-gone.${z}`, recordType: 'TXT', targets: [foreignTxt], recordTTL: 300 },
          { dnsName: `manual.${z}`, recordType: 'A', targets: ['192.0.2.52'], recordTTL: 300 },
        ]);
        const before = await t.snapshot();
        // Desired would update foreign and manual and (by omission) delete foreign-gone, were they ours.
        await t.sync([
          t.ep({ dnsName: `foreign.${z}`, recordType: 'A', targets: ['192.0.2.60'], recordTTL: 300 }),
          t.ep({ dnsName: `manual.${z}`, recordType: 'A', targets: ['192.0.2.61'], recordTTL: 300 }),
        ], { ownerId: OWNER });
        assert.deepEqual(await t.snapshot(), before);
      });
    });

    describe('safety rules (docs/safety.md), through the controller', () => {
      run('ownership: a source listing our ownership TXT for an unowned record never makes it ours', async (t) => {
        const z = t.zone(0);
        await t.create([{ dnsName: `victim.${z}`, recordType: 'A', targets: ['192.0.2.9'], recordTTL: 300 }]);
        const before = await t.snapshot();
        const forged = [
          t.ep({ dnsName: `a-victim.${z}`, recordType: 'TXT', targets: [`"heritage=external-dns,external-dns/owner=${OWNER}"`], labels: { resource: 'crd/tenant/forger' } }),
          t.ep({ dnsName: `victim.${z}`, recordType: 'A', targets: ['198.51.100.66'], recordTTL: 300, labels: { resource: 'crd/tenant/forger' } }),
        ];
        const first = await t.controllerSync(forged, ['A', 'TXT']);
        assert.deepEqual(first.refused.map((r) => r.endpoint.dnsName), [`a-victim.${z}`]);
        await t.controllerSync([], ['A', 'TXT']);
        assert.deepEqual(await t.snapshot(), before, 'neither the victim nor any TXT changed');
      });

      run('one bad object: what the provider cannot hold is dropped before the plan, the rest lands', async (t) => {
        const z = t.zone(0);
        const bad = [`-dash.${z}`, `new\nline.${z}`].map((dnsName) => t.ep({ dnsName, recordType: 'A', targets: ['192.0.2.2'], recordTTL: 300 }));
        const big = t.ep({ dnsName: `big.${z}`, recordType: 'TXT', targets: ['x'.repeat(70_000)], recordTTL: 300 });
        const good = t.ep({ dnsName: `good.${z}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 });
        const result = await t.controllerSync([...bad, big, good], ['A', 'TXT']);
        await t.assertHolds(await t.adjust([good]));
        const held = new Set(await t.snapshot());
        const refused = new Set(result.refused.map((r) => r.endpoint.dnsName));
        // A remote provider (webhook) may hold what a DNS server cannot; what it refuses is split off.
        const strict = capabilitiesOf(t.provider).names === 'hostname';
        for (const ep of [...bad, big]) {
          const kept = [...held].some((line) => line.startsWith(`${ep.dnsName} `));
          assert.ok(refused.has(ep.dnsName) || (!strict && kept), `${JSON.stringify(ep.dnsName)} refused or held`);
          if (strict) assert.ok(!kept);
        }
      });

      run('take-over: a zone ExternalDNS wrote with the same owner id plans zero changes', async (t) => {
        const z = t.zone(0);
        await t.create([
          { dnsName: `web.${z}`, recordType: 'A', targets: ['192.0.2.80'], recordTTL: 300 },
          { dnsName: `a-web.${z}`, recordType: 'TXT', targets: [`"heritage=external-dns,external-dns/owner=${OWNER},external-dns/resource=service/default/web"`], recordTTL: 300 },
        ]);
        const before = await t.snapshot();
        const result = await t.controllerSync([t.ep({ dnsName: `web.${z}`, recordType: 'A', targets: ['192.0.2.80'], recordTTL: 300, labels: { resource: 'service/default/web' } })], ['A']);
        assert.ok(result.noop, 'nothing planned');
        assert.deepEqual(await t.snapshot(), before);
      });
    });

    describe('strict and exact (rule 8)', () => {
      run('creating an existing record set is rejected and changes nothing', async (t) => {
        const [a] = await t.create([{ dnsName: `dup.${t.zone(0)}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 }]);
        const before = await t.snapshot();
        const [again, other] = await t.adjust([
          { ...a, targets: ['192.0.2.2'] },
          { dnsName: `innocent.${t.zone(0)}`, recordType: 'A', targets: ['192.0.2.3'], recordTTL: 300 },
        ]);
        await t.assertRejected({ create: [other, again] }, a.dnsName);
        assert.deepEqual(await t.snapshot(), before);
      });

      run('deleting a missing record set is rejected and changes nothing', async (t) => {
        const [a] = await t.create([{ dnsName: `here.${t.zone(0)}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 }]);
        const before = await t.snapshot();
        const [missing] = await t.adjust([{ dnsName: `missing.${t.zone(0)}`, recordType: 'A', targets: ['192.0.2.1'], recordTTL: 300 }]);
        await t.assertRejected({ delete: [a, missing] }, missing.dnsName);
        assert.deepEqual(await t.snapshot(), before);
      });

      run('deleting with values that differ from the provider is rejected and changes nothing', async (t) => {
        const [a] = await t.create([{ dnsName: `exact.${t.zone(0)}`, recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], recordTTL: 300 }]);
        const before = await t.snapshot();
        const [partial] = await t.adjust([{ ...a, targets: ['192.0.2.1'] }]);
        await t.assertRejected({ delete: [partial] }, a.dnsName);
        assert.deepEqual(await t.snapshot(), before);
      });
    });
  });
}

/** Per-test helpers bound to one target. */
class Ctx {
  readonly provider: Provider;
  readonly zones: string[];
  readonly types: readonly string[];

  constructor(target: ConformanceTarget) {
    this.provider = target.provider;
    this.zones = target.zones;
    this.types = target.supportedTypes ?? SUITE_TYPES;
  }

  zone(i: number): string {
    const z = this.zones[i];
    assert.ok(z !== undefined, `target has no zone #${i}`);
    return z;
  }

  supports(type: string): boolean {
    return this.types.includes(type);
  }

  ep(init: EndpointInit): Endpoint {
    return newEndpoint(init);
  }

  /** One record set per supported type, in canonical-looking form, explicit TTLs. */
  samples(z: string): Endpoint[] {
    const all: EndpointInit[] = [
      { dnsName: `a.${z}`, recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], recordTTL: 300 },
      { dnsName: `aaaa.${z}`, recordType: 'AAAA', targets: ['2001:db8::1'], recordTTL: 600 },
      { dnsName: `cname.${z}`, recordType: 'CNAME', targets: ['target.example.net'], recordTTL: 300 },
      { dnsName: `txt.${z}`, recordType: 'TXT', targets: ['"v=spf1 -all"', '"heritage=external-dns,external-dns/owner=x"'], recordTTL: 300 },
      { dnsName: `mx.${z}`, recordType: 'MX', targets: ['10 mail.example.net', '20 mail2.example.net'], recordTTL: 300 },
      { dnsName: `_sip._tcp.${z}`, recordType: 'SRV', targets: ['10 20 5060 sip.example.net.'], recordTTL: 300 },
    ];
    return all.filter((e) => this.supports(e.recordType)).map((e) => newEndpoint(e));
  }

  /** Desired endpoints as a source would hand them in: mixed case, trailing dots, long IPv6, no TTL, raw TXT. */
  sourceStyle(z: string): Endpoint[] {
    const all: EndpointInit[] = [
      { dnsName: `Web.${z.toUpperCase()}.`, recordType: 'A', targets: ['192.0.2.20', '192.0.2.10'] },
      { dnsName: `v6.${z}`, recordType: 'AAAA', targets: ['2001:DB8:0:0:0:0:0:A'], recordTTL: 120 },
      { dnsName: `www.${z}`, recordType: 'CNAME', targets: [`Web.${z}.`] },
      { dnsName: `spf.${z}`, recordType: 'TXT', targets: ['v=spf1 include:_spf.example.net ~all'] },
      { dnsName: `owner.${z}`, recordType: 'TXT', targets: ['"heritage=external-dns,external-dns/owner=x,external-dns/resource=service/default/web"'] },
      { dnsName: `mail.${z}`, recordType: 'MX', targets: ['10 MX1.example.net.'], recordTTL: 300 },
      { dnsName: `_http._tcp.${z}`, recordType: 'SRV', targets: ['0 50 80 web.example.net.'] },
    ];
    return all.filter((e) => this.supports(e.recordType)).map((e) => newEndpoint(e));
  }

  /** The provider's adjustEndpoints; a literal list comes back as a tuple of the same length. */
  async adjust<const T extends readonly EndpointInit[]>(eps: T): Promise<{ -readonly [K in keyof T]: Endpoint }> {
    const adjusted = await this.provider.adjustEndpoints(eps.map((e) => newEndpoint(e)));
    assert.equal(adjusted.length, eps.length, 'adjustEndpoints must return one endpoint per input');
    return adjusted as { -readonly [K in keyof T]: Endpoint };
  }

  async apply(c: Partial<Changes>, progress?: ApplyProgress): Promise<void> {
    await this.provider.applyChanges({ ...emptyChanges(), ...c }, signal, progress);
  }

  /** Creates the record sets (adjusted first) and returns them as written. */
  async create<const T extends readonly EndpointInit[]>(eps: T): Promise<{ -readonly [K in keyof T]: Endpoint }> {
    const adjusted = await this.adjust(eps);
    await this.apply({ create: [...adjusted] });
    return adjusted;
  }

  /** Every record the provider holds, as comparable one-line summaries. */
  async snapshot(): Promise<string[]> {
    return (await this.provider.records(signal)).map((e) => summary(e)).sort();
  }

  /** Asserts records() holds each endpoint (name, type, set id, targets, and TTL when set). */
  async assertHolds(expected: readonly Endpoint[], options: { ignoreUnsetTtl?: boolean } = {}): Promise<void> {
    const current = new Map((await this.provider.records(signal)).map((e) => [key(e), e]));
    for (const want of expected) {
      const got = current.get(key(want));
      assert.ok(got !== undefined, `records() lacks ${summary(want)}`);
      const ttl = options.ignoreUnsetTtl === true && want.recordTTL === 0 ? got.recordTTL : want.recordTTL;
      assert.equal(summary(got), summary({ ...want, recordTTL: ttl }));
    }
  }

  async assertAbsent(gone: readonly Endpoint[]): Promise<void> {
    const current = new Set((await this.provider.records(signal)).map((e) => key(e)));
    for (const g of gone) assert.ok(!current.has(key(g)), `records() still holds ${summary(g)}`);
  }

  async assertRejected(c: Partial<Changes>, naming: string): Promise<void> {
    await assert.rejects(this.apply(c), (err: unknown) => {
      assert.ok(ExtdnsError.is(err), `expected an ExtdnsError, got ${String(err)}`);
      assert.ok(err.message.includes(naming), `the error should name ${naming}: ${err.message}`);
      return true;
    });
  }

  /** One sync of the real controller (admission, plan, guards, split apply) under the TXT registry with OWNER. */
  async controllerSync(desired: readonly Endpoint[], managed: readonly string[]): Promise<SyncResult> {
    const types = managed.filter((m) => this.supports(m));
    const clock = new FakeClock();
    const logger = captureLogger().logger;
    const registry = createTxtRegistry(this.provider, { ...registryOptions(OWNER), managedRecordTypes: types }, { clock, logger });
    const controller = createController({
      policy: 'sync', domainFilters: [], managedRecordTypes: types, excludeRecordTypes: [], oldOwnerId: '', intervalMs: 60_000,
      minEventSyncIntervalMs: 0, dryRun: false, deleteBrake: { allowMassDelete: true, thresholdPercent: 100, minimum: 0, holdMs: 0 },
      backoff: { baseMs: 1_000, maxMs: 5_000 },
    }, { registry, sources: { collect: () => Promise.resolve({ endpoints: desired.map((e) => newEndpoint(e)), failures: [] }) }, plan: calculate, clock, random: seededRandom(1), logger });
    return controller.runOnce(signal);
  }

  /**
   * One controller-style sync: read current records (through the TXT registry
   * when ownerId is set), plan with the real planner, apply what it plans.
   * Returns the applied changes.
   */
  async sync(desired: readonly Endpoint[], options: { ownerId: string }): Promise<Changes> {
    const target = options.ownerId === '' ? this.provider : createTxtRegistry(this.provider, registryOptions(options.ownerId), registryDeps());
    const managed = this.types.filter((t) => t !== 'TXT' || options.ownerId === '');
    const { changes } = calculate({
      current: await target.records(signal),
      desired: await target.adjustEndpoints(desired.map((e) => newEndpoint(e))),
      policy: 'sync',
      domainFilters: [target.domainFilter()],
      managedRecordTypes: managed,
      excludeRecordTypes: [],
      ownerId: options.ownerId,
      oldOwnerId: '',
    });
    if (count(changes) > 0) await target.applyChanges(changes, signal);
    return changes;
  }
}

function registryOptions(ownerId: string): Parameters<typeof createTxtRegistry>[1] {
  return {
    ownerId, prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '',
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A', 'AAAA', 'CNAME'], excludeRecordTypes: [],
  };
}

function registryDeps(): Parameters<typeof createTxtRegistry>[2] {
  return { clock: new FakeClock(), logger: captureLogger().logger };
}

function key(e: Endpoint): string {
  return `${e.dnsName}\u0000${e.recordType}\u0000${e.setIdentifier}`;
}

function summary(e: Endpoint): string {
  const set = e.setIdentifier === '' ? '' : ` set=${e.setIdentifier}`;
  return `${e.dnsName} ${e.recordType}${set} ttl=${e.recordTTL} [${[...e.targets].sort().join(', ')}]`;
}

function count(c: Changes): number {
  return c.create.length + c.updateNew.length + c.delete.length;
}

function describeChanges(c: Changes): string {
  const lines = [
    ...c.create.map((e) => `  create ${summary(e)}`),
    ...c.updateOld.map((e, i) => `  update ${summary(e)} → ${c.updateNew[i] === undefined ? '?' : summary(c.updateNew[i])}`),
    ...c.delete.map((e) => `  delete ${summary(e)}`),
  ];
  return lines.join('\n');
}
