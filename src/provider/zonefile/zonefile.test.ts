import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { newEndpoint, type Endpoint, type EndpointInit } from '../../endpoint/endpoint.ts';
import type { DomainFilter } from '../../endpoint/domain-filter.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { emptyChanges, type Changes } from '../../plan/plan.ts';
import type { Provider } from '../provider.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { checkedProvider, makeZoneDir, minimalZone, type ZoneDir } from '../../../test/support/zonefile.ts';
import { parseZone } from './parse.ts';
import { createZonefileProvider } from './zonefile.ts';

const signal = new AbortController().signal;
const ep = (init: EndpointInit): Endpoint => newEndpoint(init);
const changes = (c: Partial<Changes>): Changes => ({ ...emptyChanges(), ...c });

interface Fixture {
  dir: ZoneDir;
  provider: Provider;
  clock: FakeClock;
  logs: ReturnType<typeof captureLogger>;
}

async function fixture(zones: Record<string, string> | string[], options: { domainFilter?: DomainFilter; defaultTtl?: number } = {}): Promise<Fixture> {
  const dir = await makeZoneDir(zones);
  const clock = new FakeClock();
  const logs = captureLogger();
  const raw = createZonefileProvider({ dir: dir.dir, ...options }, { clock, logger: logs.logger });
  return { dir, provider: checkedProvider(raw, dir.dir), clock, logs };
}

async function withFixture(zones: Record<string, string> | string[], fn: (f: Fixture) => Promise<void>, options = {}): Promise<void> {
  const f = await fixture(zones, options);
  try {
    await fn(f);
  } finally {
    await f.dir.cleanup();
  }
}

function serial(text: string, zone = 'example.com'): number {
  const soa = parseZone(text, { origin: zone, file: 'x' }).records.find((r) => r.type === 'SOA');
  return Number(soa?.rdata.split(' ')[2]);
}

/** Asserts the promise rejects with the given code and a message matching every pattern. */
async function rejectsWith(p: Promise<unknown>, code: string, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(ExtdnsError.is(err), String(err));
    assert.equal(err.code, code, err.message);
    for (const re of patterns) assert.match(err.message, re);
    return true;
  });
}

const HAND_WRITTEN = `$ORIGIN example.com.
$TTL 3600
@ IN SOA ns1.nameserver.test. hostmaster ( 5 3600 600 604800 300 ) ; serial 5
  IN NS ns1.nameserver.test.
www 300 IN A 192.0.2.1
        IN A 192.0.2.2
txt TXT "heritage=external-dns,external-dns/owner=x"
mail MX 10 mx1.example.net.
h HINFO "PC" "Linux"
`;

describe('zonefile provider: records()', () => {
  test('groups records into endpoints by name and type, SOA left out', async () => {
    await withFixture({ 'example.com': HAND_WRITTEN, 'example.org': minimalZone('example.org') }, async ({ provider }) => {
      const got = (await provider.records(signal)).map((e) => `${e.dnsName} ${e.recordType} ${e.recordTTL} ${e.targets.join(' | ')}`);
      assert.deepEqual(got.sort(), [
        'example.com NS 3600 ns1.nameserver.test',
        'example.org NS 3600 ns1.nameserver.test',
        'h.example.com HINFO 3600 "PC" "Linux"',
        'mail.example.com MX 3600 10 mx1.example.net',
        'txt.example.com TXT 3600 "heritage=external-dns,external-dns/owner=x"',
        'www.example.com A 300 192.0.2.1 | 192.0.2.2',
      ]);
    });
  });

  test('adjustEndpoints puts desired endpoints into exactly the form records() returns', async () => {
    await withFixture({ 'example.com': HAND_WRITTEN }, async ({ provider }) => {
      const desired = await provider.adjustEndpoints([
        ep({ dnsName: 'WWW.Example.com.', recordType: 'A', targets: ['192.0.2.2', '192.0.2.1'], recordTTL: 300 }),
        ep({ dnsName: 'txt.example.com', recordType: 'TXT', targets: ['heritage=external-dns,external-dns/owner=x'], recordTTL: 3600 }),
        ep({ dnsName: 'mail.example.com', recordType: 'MX', targets: ['10 MX1.example.net.'], recordTTL: 3600, providerSpecific: [{ name: 'alias', value: 'false' }] }),
      ]);
      const current = await provider.records(signal);
      for (const d of desired) {
        const c = current.find((x) => x.dnsName === d.dnsName && x.recordType === d.recordType);
        assert.deepEqual(c, d);
      }
    });
  });

  test('a zone with a syntax error fails records() with file:line', async () => {
    await withFixture({ 'example.com': `${minimalZone('example.com')}www A 1.2.3\n` }, async ({ provider, dir }) => {
      await rejectsWith(provider.records(signal), 'EXTDNS_ZONEFILE_SYNTAX', new RegExp(`${dir.file('example.com')}:5: "1\\.2\\.3" is not an IPv4 address`));
    });
  });

  test('a zone without SOA is refused with a clear error', async () => {
    await withFixture({ 'example.com': '$TTL 60\nwww A 192.0.2.1\n' }, async ({ provider }) => {
      await rejectsWith(provider.records(signal), 'EXTDNS_ZONEFILE_NO_SOA', /exactly one SOA record, at its apex example\.com/);
    });
  });

  test('zones outside the domain filter are ignored; parents of included domains are kept', async () => {
    const filter: DomainFilter = {
      match: (name) => name === 'app.example.com' || name.endsWith('.app.example.com'),
      isConfigured: () => true,
      toWire: () => ({ include: ['app.example.com'] }),
    };
    await withFixture(['example.com', 'example.org'], async ({ provider }) => {
      const zones = new Set((await provider.records(signal)).map((e) => e.dnsName));
      assert.deepEqual([...zones], ['example.com']);
      await rejectsWith(
        provider.applyChanges(changes({ create: [ep({ dnsName: 'www.example.org', recordType: 'A', targets: ['192.0.2.1'] })] }), signal),
        'EXTDNS_ZONEFILE_NO_ZONE',
      );
    }, { domainFilter: filter });
  });
});

describe('zonefile provider: applyChanges()', () => {
  test('creates, updates and deletes, keeps untouched records, bumps the serial to today', async () => {
    await withFixture({ 'example.com': HAND_WRITTEN }, async ({ provider, dir, logs }) => {
      await provider.applyChanges(changes({
        create: [ep({ dnsName: 'new.example.com', recordType: 'AAAA', targets: ['2001:DB8::5'] })],
        updateOld: [ep({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], recordTTL: 300 })],
        updateNew: [ep({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.3'], recordTTL: 60 })],
        delete: [ep({ dnsName: 'txt.example.com', recordType: 'TXT', targets: ['"heritage=external-dns,external-dns/owner=x"'] })],
      }), signal);
      const text = await readFile(dir.file('example.com'), 'utf8');
      assert.equal(serial(text), 2026112800);
      const got = (await provider.records(signal)).map((e) => `${e.dnsName} ${e.recordType} ${e.recordTTL} ${e.targets.join(' | ')}`);
      assert.deepEqual(got.sort(), [
        'example.com NS 3600 ns1.nameserver.test',
        'h.example.com HINFO 3600 "PC" "Linux"',
        'mail.example.com MX 3600 10 mx1.example.net',
        'new.example.com AAAA 300 2001:db8::5',
        'www.example.com A 60 192.0.2.3',
      ]);
      assert.match(logs.text(), /Zone file updated .*"serial":2026112800/);
    });
  });

  test('the serial goes up by one on the same day, and by one when already ahead of the date', async () => {
    await withFixture({ 'example.com': minimalZone('example.com', 2026112807), 'example.org': minimalZone('example.org', 2099010100) }, async ({ provider, dir, clock }) => {
      const add = (name: string): Changes => changes({ create: [ep({ dnsName: name, recordType: 'A', targets: ['192.0.2.1'] })] });
      await provider.applyChanges(add('a.example.com'), signal);
      assert.equal(serial(await readFile(dir.file('example.com'), 'utf8')), 2026112808);
      await provider.applyChanges(add('a.example.org'), signal);
      assert.equal(serial(await readFile(dir.file('example.org'), 'utf8'), 'example.org'), 2099010101);
      await clock.advance(24 * 3600 * 1000);
      await provider.applyChanges(add('b.example.com'), signal);
      assert.equal(serial(await readFile(dir.file('example.com'), 'utf8')), 2026112900);
    });
  });

  test('empty changes write nothing and read nothing', async () => {
    const logs = captureLogger();
    const raw = createZonefileProvider({ dir: '/nonexistent/extdns' }, { clock: new FakeClock(), logger: logs.logger });
    // The directory does not exist: any read or write would reject.
    await assert.doesNotReject(raw.applyChanges(emptyChanges(), signal));
    assert.equal(logs.text(), '', 'nothing written, nothing logged');
  });

  test('TTL: a create without one gets the default, an update without one keeps the file TTL', async () => {
    await withFixture({ 'example.com': HAND_WRITTEN }, async ({ provider }) => {
      await provider.applyChanges(changes({
        create: [ep({ dnsName: 'a.example.com', recordType: 'A', targets: ['192.0.2.9'] })],
        updateOld: [ep({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'] })],
        updateNew: [ep({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.1'] })],
      }), signal);
      const byName = new Map((await provider.records(signal)).map((e) => [e.dnsName, e.recordTTL]));
      assert.equal(byName.get('a.example.com'), 120);
      assert.equal(byName.get('www.example.com'), 300);
    }, { defaultTtl: 120 });
  });

  test('a change goes to the zone with the longest matching suffix', async () => {
    await withFixture(['example.com', 'sub.example.com'], async ({ provider, dir }) => {
      await provider.applyChanges(changes({ create: [
        ep({ dnsName: 'x.sub.example.com', recordType: 'A', targets: ['192.0.2.1'] }),
        ep({ dnsName: 'x.example.com', recordType: 'A', targets: ['192.0.2.2'] }),
      ] }), signal);
      assert.match(await readFile(dir.file('sub.example.com'), 'utf8'), /\nx +300 IN A +192\.0\.2\.1\n/);
      assert.match(await readFile(dir.file('example.com'), 'utf8'), /\nx +300 IN A +192\.0\.2\.2\n/);
    });
  });

  test('writes atomically: file mode kept, no temp file left behind', async () => {
    await withFixture(['example.com'], async ({ provider, dir }) => {
      await chmod(dir.file('example.com'), 0o640);
      await provider.applyChanges(changes({ create: [ep({ dnsName: 'x.example.com', recordType: 'A', targets: ['192.0.2.1'] })] }), signal);
      assert.equal((await stat(dir.file('example.com'))).mode & 0o777, 0o640);
      assert.deepEqual(await readdir(dir.dir), ['example.com.zone']);
    });
  });

  test('concurrent applies are serialised', async () => {
    await withFixture(['example.com'], async ({ provider }) => {
      await Promise.all(Array.from({ length: 10 }, (_, i) =>
        provider.applyChanges(changes({ create: [ep({ dnsName: `n${i}.example.com`, recordType: 'A', targets: ['192.0.2.1'] })] }), signal)));
      assert.equal((await provider.records(signal)).filter((e) => e.recordType === 'A').length, 10);
    });
  });
});

describe('zonefile provider: strict and exact validation', () => {
  const www = (targets: string[]): Endpoint => ep({ dnsName: 'www.example.com', recordType: 'A', targets });
  const cases: { name: string; changes: Changes; re: RegExp }[] = [
    { name: 'create of an existing record set', changes: changes({ create: [www(['192.0.2.7'])] }), re: /create of www\.example\.com A \[192\.0\.2\.7\]: the record set already exists in .*example\.com\.zone/ },
    { name: 'update of a missing record set', changes: changes({ updateOld: [ep({ dnsName: 'nope.example.com', recordType: 'A', targets: ['192.0.2.1'] })], updateNew: [ep({ dnsName: 'nope.example.com', recordType: 'A', targets: ['192.0.2.2'] })] }), re: /update of nope\.example\.com A .*: no such record set/ },
    { name: 'delete of a missing record set', changes: changes({ delete: [ep({ dnsName: 'www.example.com', recordType: 'AAAA', targets: ['::1'] })] }), re: /delete of www\.example\.com AAAA .*: no such record set/ },
    { name: 'delete whose values differ', changes: changes({ delete: [www(['192.0.2.1'])] }), re: /delete of www\.example\.com A \[192\.0\.2\.1\]: its values differ from .*, which holds \[192\.0\.2\.1, 192\.0\.2\.2\]/ },
    { name: 'unpaired update', changes: changes({ updateOld: [www(['192.0.2.1', '192.0.2.2'])] }), re: /updateOld has 1 entries but updateNew has 0/ },
    { name: 'record set twice in one batch', changes: changes({ create: [ep({ dnsName: 'd.example.com', recordType: 'A', targets: ['192.0.2.1'] }), ep({ dnsName: 'D.example.com.', recordType: 'A', targets: ['192.0.2.2'] })] }), re: /appears more than once/ },
    { name: 'invalid target', changes: changes({ create: [ep({ dnsName: 'bad.example.com', recordType: 'A', targets: ['example.net'] })] }), re: /create of bad\.example\.com A \[example\.net\]: "example\.net" is not an IPv4 address/ },
    { name: 'set identifier', changes: changes({ create: [ep({ dnsName: 's.example.com', recordType: 'A', targets: ['192.0.2.1'], setIdentifier: 'eu' })] }), re: /set identifiers .* cannot be expressed in a zone file/ },
    { name: 'SOA', changes: changes({ delete: [ep({ dnsName: 'example.com', recordType: 'SOA', targets: ['x'] })] }), re: /SOA record is maintained by the provider/ },
    { name: 'invalid name', changes: changes({ create: [ep({ dnsName: 'a b.example.com', recordType: 'A', targets: ['192.0.2.1'] })] }), re: /"a b\.example\.com" is not a valid host name/ },
  ];
  for (const c of cases) {
    test(`${c.name} is rejected and nothing is written`, async () => {
      await withFixture({ 'example.com': HAND_WRITTEN, 'example.org': minimalZone('example.org') }, async ({ provider, dir }) => {
        // A valid change in another zone rides along: the whole batch is validated before any write.
        const batch = { ...c.changes, create: [...c.changes.create, ep({ dnsName: 'ok.example.org', recordType: 'A', targets: ['192.0.2.1'] })] };
        await rejectsWith(provider.applyChanges(batch, signal), 'EXTDNS_ZONEFILE_CHANGE_REJECTED', c.re, /nothing was written/);
        assert.equal(await readFile(dir.file('example.com'), 'utf8'), HAND_WRITTEN);
        assert.equal(await readFile(dir.file('example.org'), 'utf8'), minimalZone('example.org'));
      });
    });
  }

  test('every problem of a batch is reported at once', async () => {
    await withFixture({ 'example.com': HAND_WRITTEN }, async ({ provider }) => {
      await rejectsWith(provider.applyChanges(changes({
        create: [www(['192.0.2.9'])],
        delete: [ep({ dnsName: 'gone.example.com', recordType: 'A', targets: ['192.0.2.1'] })],
      }), signal), 'EXTDNS_ZONEFILE_CHANGE_REJECTED', /^2 change\(s\) rejected/, /create of www/, /delete of gone/);
    });
  });

  test('a change naming a record in no zone file is rejected', async () => {
    await withFixture(['example.com'], async ({ provider }) => {
      await rejectsWith(
        provider.applyChanges(changes({ create: [ep({ dnsName: 'www.other.net', recordType: 'A', targets: ['192.0.2.1'] })] }), signal),
        'EXTDNS_ZONEFILE_NO_ZONE', /no zone file holds create of www\.other\.net A \(zones: example\.com\)/,
      );
    });
  });

  test('a zone with a syntax error is never rewritten', async () => {
    const broken = `${minimalZone('example.com')}$INCLUDE more.zone\n`;
    await withFixture({ 'example.com': broken }, async ({ provider, dir }) => {
      await rejectsWith(
        provider.applyChanges(changes({ create: [ep({ dnsName: 'x.example.com', recordType: 'A', targets: ['192.0.2.1'] })] }), signal),
        'EXTDNS_ZONEFILE_SYNTAX', /:5: \$INCLUDE is not supported/,
      );
      assert.equal(await readFile(dir.file('example.com'), 'utf8'), broken);
    });
  });

  test('a file edited between read and write is not overwritten', async () => {
    await withFixture(['example.com'], async ({ dir }) => {
      // A provider whose records() read races with an outside edit: the apply re-reads, so it sees the edit.
      const raw = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger });
      await writeFile(dir.file('example.com'), `${minimalZone('example.com')}edited A 192.0.2.5\n`);
      await raw.applyChanges(changes({ create: [ep({ dnsName: 'x.example.com', recordType: 'A', targets: ['192.0.2.1'] })] }), signal);
      const names = (await raw.records(signal)).map((e) => e.dnsName).sort();
      assert.deepEqual(names, ['edited.example.com', 'example.com', 'x.example.com']);
    });
  });
});
