/**
 * Issue 13, item 7: large zones. 125,000 records used to end in "Maximum call
 * stack size exceeded" (a spread of a large array into push). A 150,000-record
 * zone syncs here; the 1,000,000-record row is in `npm run bench`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { emptyChanges } from '../../plan/plan.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { makeZoneDir, namedCheckzone } from '../../../test/support/zonefile.ts';
import { createZonefileProvider } from './zonefile.ts';

const N = 150_000;
const signal = new AbortController().signal;

test(`a ${N}-record zone syncs: records() returns them all, one change rewrites one line`, async () => {
  const parts = ['$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n'];
  for (let i = 0; i < N; i++) parts.push(`svc-${i} IN A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\n`);
  const text = parts.join('');
  const dir = await makeZoneDir({});
  try {
    await writeFile(dir.file('example.org'), text);
    const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger });
    const records = await provider.records(signal);
    assert.equal(records.length, N + 2);
    await provider.applyChanges({
      ...emptyChanges(),
      create: [newEndpoint({ dnsName: 'new.example.org', recordType: 'A', targets: ['192.0.2.9'] })],
      delete: [newEndpoint({ dnsName: 'svc-7.example.org', recordType: 'A', targets: ['10.0.0.7'] })],
    }, signal);
    const after = await readFile(dir.file('example.org'), 'utf8');
    const want = `${text.replace(' 1 3600', ' 2026112800 3600').replace('svc-7 IN A 10.0.0.7\n', '')}new IN A 192.0.2.9\n`;
    assert.ok(after === want, `unexpected zone; its tail: ${after.slice(-200)}`);
    const check = await namedCheckzone('example.org', dir.file('example.org'));
    assert.ok(check.ok, check.output);
  } finally {
    await dir.cleanup();
  }
});
