/**
 * Issue 13, item 8: a change that would make BIND refuse the zone is refused
 * on its own (EXTDNS_ZONEFILE_REFUSED, naming it), the rest of the batch is
 * written, and named-checkzone accepts every zone written.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { newEndpoint, type Endpoint, type EndpointInit } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { emptyChanges, type Changes } from '../../plan/plan.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { assertZonesValid, makeZoneDir } from '../../../test/support/zonefile.ts';
import { createZonefileProvider } from './zonefile.ts';

const signal = new AbortController().signal;
const ep = (init: EndpointInit): Endpoint => newEndpoint(init);
const changes = (c: Partial<Changes>): Changes => ({ ...emptyChanges(), ...c });

const ZONE = [
  '$ORIGIN example.com.',
  '$TTL 3600',
  '@ IN SOA ns1 hostmaster 1 3600 600 604800 300',
  '@ IN NS ns1',
  'ns1 IN A 192.0.2.1',
  'www IN A 192.0.2.80',
  'old IN DNAME new.example.net.',
  'sub IN A 192.0.2.5',
  'x.sub IN A 192.0.2.6',
  '',
].join('\n');

const OK = ep({ dnsName: 'fine.example.com', recordType: 'A', targets: ['192.0.2.99'] });

const cases: { name: string; batch: Changes; re: RegExp }[] = [
  {
    name: 'a CNAME replacing the A record an NS record points at',
    batch: changes({
      create: [ep({ dnsName: 'ns1.example.com', recordType: 'CNAME', targets: ['elsewhere.example.net'] })],
      delete: [ep({ dnsName: 'ns1.example.com', recordType: 'A', targets: ['192.0.2.1'] })],
    }),
    re: /create of ns1\.example\.com CNAME .*"CNAME and other data"[\s\S]*delete of ns1\.example\.com A .*NS records point at ns1\.example\.com, which would have no address records/,
  },
  { name: 'a CNAME beside other data', batch: changes({ create: [ep({ dnsName: 'www.example.com', recordType: 'CNAME', targets: ['lb.example.net'] })] }), re: /create of www\.example\.com CNAME .*would share www\.example\.com with A records/ },
  { name: 'a CNAME with two targets', batch: changes({ create: [ep({ dnsName: 'c.example.com', recordType: 'CNAME', targets: ['a.example.net', 'b.example.net'] })] }), re: /a CNAME has exactly one target/ },
  { name: 'removing the apex NS', batch: changes({ delete: [ep({ dnsName: 'example.com', recordType: 'NS', targets: ['ns1.example.com'] })] }), re: /delete of example\.com NS .*removes the NS records of the zone apex/ },
  { name: 'records below a DNAME', batch: changes({ create: [ep({ dnsName: 'a.old.example.com', recordType: 'A', targets: ['192.0.2.7'] })] }), re: /a\.old\.example\.com is below the DNAME at old\.example\.com/ },
  { name: 'a DNAME above existing records', batch: changes({ create: [ep({ dnsName: 'sub.example.com', recordType: 'DNAME', targets: ['other.example.net'] })] }), re: /a DNAME at sub\.example\.com would hide the records of x\.sub\.example\.com/ },
  { name: 'a TXT over 64 KiB', batch: changes({ create: [ep({ dnsName: 'big.example.com', recordType: 'TXT', targets: ['x'.repeat(70_000)] })] }), re: /the TXT data would be 70275 bytes; a record holds at most 65535/ },
  { name: 'an apex NS pointing at an in-zone name without address', batch: changes({
    updateOld: [ep({ dnsName: 'example.com', recordType: 'NS', targets: ['ns1.example.com'] })],
    updateNew: [ep({ dnsName: 'example.com', recordType: 'NS', targets: ['ns9.example.com'] })],
  }), re: /the NS target ns9\.example\.com is in the zone but has no A or AAAA record/ },
];

describe('changes BIND would refuse', () => {
  for (const c of cases) {
    test(`${c.name} is refused, named; the rest is written`, async () => {
      const dir = await makeZoneDir({});
      try {
        await writeFile(dir.file('example.com'), ZONE);
        const logs = captureLogger();
        const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: logs.logger });
        const batch = { ...c.batch, create: [...c.batch.create, OK] };
        await assert.rejects(provider.applyChanges(batch, signal), (err: unknown) => {
          assert.ok(ExtdnsError.is(err));
          assert.equal(err.code, 'EXTDNS_ZONEFILE_REFUSED');
          assert.equal(err.transient, false);
          assert.match(err.message, c.re);
          assert.match(err.message, /the other changes were written/);
          return true;
        });
        await assertZonesValid(dir.dir);
        const text = await readFile(dir.file('example.com'), 'utf8');
        assert.match(text, /\nfine 300 IN A 192\.0\.2\.99\n/);
        assert.match(logs.text(), /Change refused: BIND would not load the zone/);
        // Nothing but the accepted change (and the serial) differs.
        assert.equal(text, `${ZONE.replace(' 1 3600', ' 2026112800 3600')}fine 300 IN A 192.0.2.99\n`);
      } finally {
        await dir.cleanup();
      }
    });
  }

  test('changes that are fine in order are accepted: a new address, then the apex NS moved to it', async () => {
    const dir = await makeZoneDir({});
    try {
      await writeFile(dir.file('example.com'), ZONE);
      const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger });
      await provider.applyChanges(changes({
        create: [ep({ dnsName: 'ns2.example.com', recordType: 'A', targets: ['192.0.2.2'] })],
        updateOld: [ep({ dnsName: 'example.com', recordType: 'NS', targets: ['ns1.example.com'] })],
        updateNew: [ep({ dnsName: 'example.com', recordType: 'NS', targets: ['ns2.example.com'] })],
        delete: [ep({ dnsName: 'ns1.example.com', recordType: 'A', targets: ['192.0.2.1'] })],
      }), signal);
      await assertZonesValid(dir.dir);
    } finally {
      await dir.cleanup();
    }
  });
});
