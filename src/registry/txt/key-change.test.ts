/**
 * Issue 12 item 8: after a change of --txt-encrypt-aes-key every ownership TXT
 * fails to decrypt. The registry says so loudly (error log + count for the
 * metric), treats the records as unowned (never deleted, never updated), and
 * refuses to write a second TXT beside an unreadable one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { calculate } from '../../plan/calculate.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { createInMemoryProvider } from '../../provider/inmemory/inmemory.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { createTxtRegistry, type TxtRegistryOptions } from './registry.ts';

const signal = new AbortController().signal;
const OLD_KEY = 'passphrasewhichneedstobe32bytes!';
const NEW_KEY = 'ZPitL0NGVQBZbTD6DwXJzD8RiStSazzYXQsdUowLURY=';

function registryOver(memory: ReturnType<typeof createInMemoryProvider>, key: string) {
  const log = captureLogger();
  const options: TxtRegistryOptions = {
    ownerId: 'prod', prefix: '', suffix: '', wildcardReplacement: '', encryptEnabled: key !== '', encryptAesKey: key,
    cacheIntervalMs: 0, oldOwnerId: '', managedRecordTypes: ['A'], excludeRecordTypes: [],
  };
  let n = 0;
  return { log, registry: createTxtRegistry(memory, options, { clock: new FakeClock(), logger: log.logger, randomBytes: (s) => Buffer.alloc(s, ++n) }) };
}

const plan = (registry: ReturnType<typeof registryOver>['registry'], current: Parameters<typeof calculate>[0]['current'], desired: Parameters<typeof calculate>[0]['desired']) =>
  calculate({ current, desired, policy: 'sync', domainFilters: [], managedRecordTypes: ['A'], excludeRecordTypes: [], ownerId: registry.ownerId(), oldOwnerId: '' }).changes;

for (const [title, newKey, why] of [['a changed key', NEW_KEY, /was the key changed/], ['the key removed', '', /no --txt-encrypt-aes-key is set/]] as const) {
  test(`${title}: unreadable ownership TXTs are reported, and their records are never deleted or overwritten`, async () => {
    const first = createInMemoryProvider({ zones: ['example.org'] });
    const before = registryOver(first, OLD_KEY).registry;
    await before.records(signal);
    const web = newEndpoint({ dnsName: 'web.example.org', recordType: 'A', targets: ['192.0.2.1'] });
    const api = newEndpoint({ dnsName: 'api.example.org', recordType: 'A', targets: ['192.0.2.2'] });
    await before.applyChanges({ ...emptyChanges(), create: [web, api] }, signal);
    // What a DNS server holds: the records and TXTs, without the in-memory provider's label copies.
    const memory = createInMemoryProvider({ zones: ['example.org'] });
    await memory.applyChanges({ ...emptyChanges(), create: (await first.records(signal)).map((e) => ({ ...e, labels: {} })) }, signal);
    const written = await memory.records(signal);

    const { registry, log } = registryOver(memory, newKey);
    const current = await registry.records(signal);
    assert.equal(registry.unreadableOwnership?.(), 2);
    assert.match(log.text(), /^error !!! 2 ownership TXT records cannot be read/m);
    assert.match(log.text(), why);
    assert.deepEqual(current.filter((e) => e.recordType === 'A').map((e) => e.labels['owner']), [undefined, undefined], 'the records look unowned');

    // Nothing is wanted any more: a plan against unreadable ownership deletes nothing.
    assert.deepEqual(plan(registry, current, []), emptyChanges());
    // The same name wanted again with another value: not overwritten, and no second TXT beside the unreadable one.
    const again = registry.screen([newEndpoint({ dnsName: 'web.example.org', recordType: 'A', targets: ['192.0.2.9'] })]);
    assert.equal(again.admitted.length, 0);
    assert.match(again.refused[0]?.reason ?? '', /cannot be decrypted with the configured key/);
    assert.deepEqual(await memory.records(signal), written);
  });
}

test('plain TXTs that are not ownership records are not reported as unreadable', async () => {
  const memory = createInMemoryProvider({ zones: ['example.org'] });
  await memory.applyChanges({ ...emptyChanges(), create: [
    newEndpoint({ dnsName: 'a-web.example.org', recordType: 'TXT', targets: ['"v=spf1 -all"'] }),
    newEndpoint({ dnsName: 'site.example.org', recordType: 'TXT', targets: ['"google-site-verification=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"'] }),
  ] }, signal);
  const { registry, log } = registryOver(memory, NEW_KEY);
  await registry.records(signal);
  assert.equal(registry.unreadableOwnership?.(), 0);
  assert.doesNotMatch(log.text(), /cannot be read/);
});
