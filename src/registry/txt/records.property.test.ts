/**
 * Properties of the TXT registry's record format (plain and encrypted), with
 * a fixed seed (test/support/property.ts): label strings round-trip, the
 * parsers never throw on any input, a value encrypted under one key never
 * reads as labels under another, and no desired endpoint — forged TXTs
 * included — ever changes a record or ownership TXT the registry does not own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LabelKey, newEndpoint, type Endpoint } from '../../endpoint/endpoint.ts';
import { calculate } from '../../plan/calculate.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { createInMemoryProvider } from '../../provider/inmemory/inmemory.ts';
import { createController } from '../../controller/controller.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock, seededRandom } from '../../../test/support/fake-clock.ts';
import { propertyParams } from '../../../test/support/property.ts';
import { createOwnershipCodec } from './codec.ts';
import { looksEncrypted } from './crypto.ts';
import { parseLabels, serializeLabels } from './labels.ts';
import { createTxtRegistry } from './registry.ts';

const KEY_A = 'passphrasewhichneedstobe32bytes!';
const KEY_B = 'ZPitL0NGVQBZbTD6DwXJzD8RiStSazzYXQsdUowLURY=';

/** Label keys and values the format can hold (src/registry/txt/screen.ts refuses the rest). */
const labelKey = fc.stringMatching(/^[a-z][a-z0-9./_-]{0,15}$/).filter((k) => k !== LabelKey.txtEncryptionNonce);
const labelValue = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_./=:é'.split('')), maxLength: 30 });
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 5 });
const nonces = fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => Buffer.from(b));

test('plain label strings round-trip, quoted or not', () => {
  fc.assert(fc.property(labels, fc.boolean(), (l, quoted) => {
    assert.deepEqual(parseLabels(serializeLabels(l, { quoted })), { ...l });
  }), propertyParams(500));
});

test('encrypted values round-trip with their nonce, look encrypted, and never read as labels under another key', () => {
  fc.assert(fc.property(labels, nonces, (l, nonce) => {
    const writer = createOwnershipCodec({ encryptEnabled: true, encryptAesKey: KEY_A, randomBytes: () => nonce });
    const { value } = writer.write(l);
    const read = writer.read(value);
    assert.deepEqual({ ...read?.labels }, { ...l, [LabelKey.txtEncryptionNonce]: nonce.toString('base64') });
    assert.ok(looksEncrypted(value.slice(1, -1)));
    const other = createOwnershipCodec({ encryptEnabled: true, encryptAesKey: KEY_B, randomBytes: () => nonce });
    assert.equal(other.read(value), undefined);
    assert.equal(createOwnershipCodec({ encryptEnabled: false, encryptAesKey: '', randomBytes: () => nonce }).read(value), undefined);
  }), propertyParams(200));
});

test('the readers never throw, on any string or any base64 blob, and plain label strings never look encrypted', () => {
  const codec = createOwnershipCodec({ encryptEnabled: true, encryptAesKey: KEY_A, randomBytes: (n) => Buffer.alloc(n) });
  const blob = fc.uint8Array({ maxLength: 120 }).map((b) => `"${Buffer.from(b).toString('base64')}"`);
  fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), blob), (value) => {
    const read = codec.read(value);
    if (read !== undefined) assert.equal(typeof read.plain, 'string');
    parseLabels(value);
  }), propertyParams(1000));
  fc.assert(fc.property(labels, (l) => !looksEncrypted(serializeLabels(l, { quoted: false }))), propertyParams(300));
});

// --- no desired endpoint changes what the registry does not own ---

const signal = new AbortController().signal;
const ZONE_STATE: Endpoint[] = [
  newEndpoint({ dnsName: 'victim.example.org', recordType: 'A', targets: ['192.0.2.9'] }),
  newEndpoint({ dnsName: 'theirs.example.org', recordType: 'A', targets: ['192.0.2.8'] }),
  newEndpoint({ dnsName: 'a-theirs.example.org', recordType: 'TXT', targets: ['"heritage=external-dns,external-dns/owner=other"'] }),
  newEndpoint({ dnsName: 'mine.example.org', recordType: 'A', targets: ['192.0.2.7'] }),
  newEndpoint({ dnsName: 'a-mine.example.org', recordType: 'TXT', targets: ['"heritage=external-dns,external-dns/owner=prod"'] }),
];
const NAMES = ['victim', 'theirs', 'mine', 'a-victim', 'a-theirs', 'a-mine', 'new', 'a-new', 'cname-victim'].map((n) => `${n}.example.org`);
const VALUES = ['heritage=external-dns,external-dns/owner=prod', '"heritage=external-dns,external-dns/owner=prod"', 'heritage=external-dns,external-dns/owner=other', 'hello', 'v=spf1 -all'];
const desiredEndpoint = fc.oneof(
  fc.record({ name: fc.constantFrom(...NAMES), value: fc.constantFrom(...VALUES) }).map(({ name, value }) => newEndpoint({ dnsName: name, recordType: 'TXT', targets: [value], labels: { resource: 'crd/t/x' } })),
  fc.record({ name: fc.constantFrom(...NAMES), ip: fc.constantFrom('198.51.100.1', '192.0.2.9') }).map(({ name, ip }) => newEndpoint({ dnsName: name, recordType: 'A', targets: [ip], labels: { resource: 'crd/t/x' } })),
  fc.constantFrom(...NAMES).map((name) => newEndpoint({ dnsName: name, recordType: 'CNAME', targets: ['lb.example.net'], labels: { resource: 'crd/t/x' } })),
);
const strip = (e: Endpoint): string => `${e.dnsName} ${e.recordType} ${e.targets.join(' ')}`;

test('whatever sources ask for, unowned records and foreign ownership TXTs stay byte for byte, and no forged TXT is written', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.array(desiredEndpoint, { maxLength: 6 }), { minLength: 1, maxLength: 3 }), async (syncs) => {
    const memory = createInMemoryProvider({ zones: ['example.org'] });
    await memory.applyChanges({ ...emptyChanges(), create: ZONE_STATE.map((e) => ({ ...e, labels: {} })) }, signal);
    const clock = new FakeClock();
    const logger = captureLogger().logger;
    const registry = createTxtRegistry(memory, {
      ownerId: 'prod', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: false, encryptAesKey: '', cacheIntervalMs: 0,
      oldOwnerId: '', managedRecordTypes: ['A', 'CNAME', 'TXT'], excludeRecordTypes: [],
    }, { clock, logger });
    let desired: Endpoint[] = [];
    const controller = createController({
      policy: 'sync', domainFilters: [], managedRecordTypes: ['A', 'CNAME', 'TXT'], excludeRecordTypes: [], oldOwnerId: '',
      intervalMs: 60_000, minEventSyncIntervalMs: 0, dryRun: false,
      deleteBrake: { allowMassDelete: true, thresholdPercent: 100, minimum: 100, holdMs: 0 }, backoff: { baseMs: 1_000, maxMs: 5_000 },
    }, { registry, sources: { collect: () => Promise.resolve({ endpoints: desired, failures: [] }) }, plan: calculate, clock, random: seededRandom(1), logger });
    for (const wanted of syncs) {
      desired = wanted;
      await controller.runOnce(signal);
    }
    const held = (await memory.records(signal)).map(strip);
    for (const kept of ZONE_STATE.filter((e) => !e.dnsName.includes('mine'))) assert.ok(held.includes(strip(kept)), `${strip(kept)} kept in ${held.join(' | ')}`);
    for (const record of await memory.records(signal)) {
      if (record.recordType !== 'TXT' || !record.targets.some((t) => t.includes('owner=prod'))) continue;
      // An ownership TXT with our id exists only beside a record this registry wrote (or owned from the start).
      const owned = record.dnsName.replace(/^(a|cname|txt)-/, '');
      assert.ok(!['victim.example.org', 'theirs.example.org'].includes(owned), `forged ownership of ${owned}`);
      assert.match(record.targets[0] ?? '', /^"heritage=external-dns,external-dns\/owner=prod(,external-dns\/resource=crd\/t\/x)?"$/);
    }
  }), propertyParams(60));
});
