/**
 * Issue 13, items 1–4 and the round trip: zone files a person wrote keep
 * their bytes, case, TTL meaning, comments and layout through a sync; only
 * the changed records' lines are rewritten. BIND itself (named-checkzone,
 * named-compilezone) is the judge of what a zone means.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newEndpoint, type Endpoint, type EndpointInit } from '../../endpoint/endpoint.ts';
import { emptyChanges, type Changes } from '../../plan/plan.ts';
import { captureLogger } from '../../../test/support/capture-logger.ts';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { assertZonesValid, checkedProvider, makeZoneDir, namedCompilezone, type ZoneDir } from '../../../test/support/zonefile.ts';
import type { Provider } from '../provider.ts';
import { createZonefileProvider } from './zonefile.ts';

const signal = new AbortController().signal;
const ep = (init: EndpointInit): Endpoint => newEndpoint(init);
const changes = (c: Partial<Changes>): Changes => ({ ...emptyChanges(), ...c });
const EVERY_TYPE = join(import.meta.dirname, '../../../test/support/zones/every-type.example.com.zone');

async function withZone(text: Buffer | string, fn: (p: Provider, dir: ZoneDir) => Promise<void>): Promise<void> {
  const dir = await makeZoneDir({});
  try {
    await writeFile(dir.file('example.com'), text);
    const provider = createZonefileProvider({ dir: dir.dir }, { clock: new FakeClock(), logger: captureLogger().logger });
    await fn(checkedProvider(provider, dir.dir), dir);
  } finally {
    await dir.cleanup();
  }
}

const bytes = (dir: ZoneDir): Promise<Buffer> => readFile(dir.file('example.com'));
const latin1 = async (dir: ZoneDir): Promise<string> => (await bytes(dir)).toString('latin1');

/** BIND's records except the SOA and the given owners, one per line. */
async function unmanaged(dir: ZoneDir, ...changedOwners: string[]): Promise<string[]> {
  const lines = (await namedCompilezone('example.com', dir.file('example.com'))).split('\n');
  return lines.filter((l) => l !== '' && !/\sIN SOA\s/.test(l) && !changedOwners.some((o) => l.startsWith(`${o}\t`) || l.startsWith(`${o} `)));
}

const addNew = (name = 'added.example.com'): Changes => changes({ create: [ep({ dnsName: name, recordType: 'A', targets: ['192.0.2.200'], recordTTL: 60 })] });

describe('zone file round trip', () => {
  test('a zone with every record type BIND knows (DNSSEC too) round-trips byte for byte through a sync that changes one record', async () => {
    const original = (await readFile(EVERY_TYPE)).toString('latin1');
    await withZone(Buffer.from(original, 'latin1'), async (provider, dir) => {
      const before = await unmanaged(dir, 'www.example.com.');
      const current = (await provider.records(signal)).find((e) => e.dnsName === 'www.example.com' && e.recordType === 'A');
      assert.deepEqual(current?.targets, ['192.0.2.80', '192.0.2.81']);
      await provider.applyChanges(changes({
        updateOld: [ep({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.80', '192.0.2.81'] })],
        updateNew: [ep({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.80', '192.0.2.83'] })],
      }), signal);
      const want = original
        .replace('2026010100 ; serial', '2026112800 ; serial')
        .replace('\t\tIN A\t192.0.2.81\n', 'www IN A 192.0.2.83\n');
      const got = await latin1(dir);
      assert.ok(got === want, `unexpected zone:\n${got}`);
      // named-compilezone reads the unmanaged data exactly as before.
      assert.deepEqual(await unmanaged(dir, 'www.example.com.'), before.filter((l) => !/^www\.example\.com\.\s+\d+ IN A\s/.test(l)));
      const www = (await namedCompilezone('example.com', dir.file('example.com'))).split('\n').filter((l) => /^www\.example\.com\.\s+\d+ IN A\s/.test(l));
      assert.deepEqual(www.map((l) => l.replace(/\s+/g, ' ')), ['www.example.com. 3600 IN A 192.0.2.80', 'www.example.com. 3600 IN A 192.0.2.83']);
    });
  });
});

describe('item 1: bytes and name case', () => {
  test('raw non-UTF-8 bytes and a UTF-8 owner survive a rewrite unchanged', async () => {
    const zone = Buffer.concat([
      Buffer.from('$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 A 192.0.2.1\n'),
      Buffer.from([0x74, 0x20, 0x54, 0x58, 0x54, 0x20, 0x22, 0x63, 0x61, 0x66, 0xe9, 0x22, 0x0a]), // t TXT "caf\xe9"
      Buffer.from('\u00c4bc TXT "owner \u00c4bc"\n\u00e4bc TXT "owner \u00e4bc, another name"\n', 'utf8'),
    ]);
    await withZone(zone, async (provider, dir) => {
      await provider.applyChanges(addNew(), signal);
      const after = await bytes(dir);
      const expected = Buffer.concat([Buffer.from(zone.toString('latin1').replace(' 1 3600', ' 2026112800 3600'), 'latin1'), Buffer.from('added 60 IN A 192.0.2.200\n')]);
      assert.ok(after.equals(expected), after.toString('latin1'));
      // Ä and ä are different names in DNS (only ASCII letters fold).
      const names = (await provider.records(signal)).filter((e) => e.recordType === 'TXT').map((e) => e.dnsName).sort();
      assert.deepEqual(names, ['\\195\\132bc.example.com', '\\195\\164bc.example.com', 't.example.com']);
    });
  });

  test('ASCII case folds: an update of www finds WWW and keeps the owner as written', async () => {
    await withZone('$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 A 192.0.2.1\nWWW A 192.0.2.10\n', async (provider, dir) => {
      await provider.applyChanges(changes({
        updateOld: [ep({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.10'] })],
        updateNew: [ep({ dnsName: 'www.example.com', recordType: 'A', targets: ['192.0.2.10'], recordTTL: 60 })],
      }), signal);
      assert.match(await latin1(dir), /\nWWW 60 IN A 192\.0\.2\.10\n$/);
    });
  });
});

describe('item 2: TTLs as BIND resolves them', () => {
  test('no $TTL: records without a TTL keep the SOA minimum BIND gives them', async () => {
    // "no TTL specified; using SOA MINTTL instead": every TTL-less record is 300, whatever explicit TTLs come between.
    const zone = '@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ 7200 IN NS ns1\nns1 60 A 192.0.2.1\nwww A 192.0.2.2\nold 7200 A 192.0.2.3\nlast A 192.0.2.4\n';
    await withZone(zone, async (provider, dir) => {
      const before = await unmanaged(dir, 'old.example.com.', 'added.example.com.');
      assert.ok(before.some((l) => /^www\.example\.com\.\s+300 IN A/.test(l)), before.join('\n'));
      await provider.applyChanges(changes({
        ...addNew(),
        delete: [ep({ dnsName: 'old.example.com', recordType: 'A', targets: ['192.0.2.3'] })],
      }), signal);
      assert.deepEqual(await unmanaged(dir, 'old.example.com.', 'added.example.com.'), before);
      const ttls = new Map((await provider.records(signal)).map((e) => [e.dnsName, e.recordTTL]));
      assert.equal(ttls.get('www.example.com'), 300);
      assert.equal(ttls.get('last.example.com'), 300);
      assert.equal(ttls.get('added.example.com'), 60);
    });
  });

  test('RFC 1035 semantics (SOA with a TTL, no $TTL): deleting a line with an explicit TTL keeps the next records\' TTLs', async () => {
    const zone = '@ 3600 IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 A 192.0.2.1\nold 60 A 192.0.2.3\n   AAAA 2001:db8::3\nnext A 192.0.2.4 ; inherits 60 from old\n';
    await withZone(zone, async (provider, dir) => {
      const before = await unmanaged(dir, 'old.example.com.');
      await provider.applyChanges(changes({ delete: [ep({ dnsName: 'old.example.com', recordType: 'A', targets: ['192.0.2.3'], recordTTL: 60 })] }), signal);
      const text = await latin1(dir);
      // The records that inherited owner or TTL from the deleted line get them written out; the rest is untouched.
      assert.equal(text, zone.replace(' 1 3600', ' 2026112800 3600').replace('old 60 A 192.0.2.3\n   AAAA', 'old   60 AAAA').replace('next A', 'next 60 A'));
      assert.deepEqual(await unmanaged(dir, 'old.example.com.'), before.filter((l) => !/^old\.example\.com\.\s+60 IN A\s/.test(l)));
    });
  });

  test('RFC 1035 semantics: a line added before TTL-less records does not change their TTL', async () => {
    const zone = '@ 3600 IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\nlater A 192.0.2.5\n';
    await withZone(zone, async (provider, dir) => {
      const before = await unmanaged(dir, 'www.example.com.');
      await provider.applyChanges(changes({ create: [ep({ dnsName: 'www.example.com', recordType: 'TXT', targets: ['hello'], recordTTL: 60 })] }), signal);
      assert.equal(await latin1(dir), zone.replace(' 1 3600', ' 2026112800 3600').replace('www A 192.0.2.2\nlater A', 'www A 192.0.2.2\nwww 60 IN TXT "hello"\nlater 3600 A'));
      assert.deepEqual(await unmanaged(dir, 'www.example.com.'), before);
    });
  });
});

describe('item 3: escaped owner names', () => {
  test('\\110ew is the name "new": records() shows it, a create of new is refused as existing, an update rewrites it in place', async () => {
    const zone = '$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 A 192.0.2.1\n\\110ew IN A 192.0.2.7 ; hand-written\n';
    await withZone(zone, async (provider, dir) => {
      const found = (await provider.records(signal)).find((e) => e.recordType === 'A' && e.dnsName === 'new.example.com');
      assert.deepEqual(found?.targets, ['192.0.2.7']);
      await assert.rejects(provider.applyChanges(changes({ create: [ep({ dnsName: 'new.example.com', recordType: 'A', targets: ['192.0.2.8'] })] }), signal),
        /create of new\.example\.com A \[192\.0\.2\.8\]: the record set already exists/);
      await provider.applyChanges(changes({
        updateOld: [ep({ dnsName: 'new.example.com', recordType: 'A', targets: ['192.0.2.7'] })],
        updateNew: [ep({ dnsName: 'new.example.com', recordType: 'A', targets: ['192.0.2.7', '192.0.2.8'] })],
      }), signal);
      assert.match(await latin1(dir), /\n\\110ew IN A 192\.0\.2\.7 ; hand-written\n\\110ew IN A 192\.0\.2\.8\n$/);
      assert.equal((await provider.records(signal)).filter((e) => e.recordType === 'A' && e.dnsName === 'new.example.com').length, 1);
    });
  });
});

describe('item 4: comments, blank lines, order, formatting and directives', () => {
  const zone = [
    '; Maintained by hand. Please keep the sections.',
    '$ORIGIN example.com.',
    '$TTL 1h',
    '',
    '@   IN  SOA ns1 hostmaster ( 7 ; serial',
    '        1h 10m 1w 5m )',
    '    IN  NS  ns1 ; primary',
    '',
    '; --- hosts ---',
    'ns1     IN  A   192.0.2.1',
    'zeta    IN  A   192.0.2.9   ; out of order on purpose',
    'alpha   IN  A   192.0.2.2',
    '$GENERATE 1-3 host$ A 192.0.2.$',
    '',
    '; --- extdns records below ---',
    'app     300 IN  A   192.0.2.50',
    '        300 IN  TXT "heritage=external-dns,external-dns/owner=x"',
    '',
    '; trailing comment, no newline at the end',
  ].join('\n');

  test('only the changed record set is rewritten; everything else stays byte for byte', async () => {
    await withZone(zone, async (provider, dir) => {
      const before = await unmanaged(dir, 'app.example.com.', 'added.example.com.');
      await provider.applyChanges(changes({
        ...addNew(),
        updateOld: [ep({ dnsName: 'app.example.com', recordType: 'A', targets: ['192.0.2.50'], recordTTL: 300 })],
        updateNew: [ep({ dnsName: 'app.example.com', recordType: 'A', targets: ['192.0.2.51'], recordTTL: 300 })],
      }), signal);
      const want = zone
        .replace('( 7 ; serial', '( 2026112800 ; serial')
        .replace('app     300 IN  A   192.0.2.50\n', 'app 300 IN A 192.0.2.51\n')
        .concat('\nadded 60 IN A 192.0.2.200\n');
      assert.equal(await latin1(dir), want);
      assert.deepEqual(await unmanaged(dir, 'app.example.com.', 'added.example.com.'), before);
    });
  });
});

test('a CRLF zone stays CRLF', async () => {
  const zone = '$TTL 3600\r\n@ IN SOA ns1 hostmaster 1 3600 600 604800 300\r\n@ IN NS ns1\r\nns1 A 192.0.2.1\r\nold A 192.0.2.3 ; going\r\n';
  await withZone(zone, async (provider, dir) => {
    await provider.applyChanges(changes({
      ...addNew(),
      updateOld: [ep({ dnsName: 'old.example.com', recordType: 'A', targets: ['192.0.2.3'] })],
      updateNew: [ep({ dnsName: 'old.example.com', recordType: 'A', targets: ['192.0.2.3'], recordTTL: 60 })],
    }), signal);
    assert.equal(await latin1(dir), zone.replace(' 1 3600', ' 2026112800 3600').replace('old A 192.0.2.3 ; going', 'old 60 IN A 192.0.2.3 ; going').concat('added 60 IN A 192.0.2.200\r\n'));
  });
});

test('a sync that changes nothing writes nothing', async () => {
  await withZone('$TTL 60\n@ IN SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n', async (provider, dir) => {
    await provider.applyChanges(emptyChanges(), signal);
    assert.equal(await latin1(dir), '$TTL 60\n@ IN SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n');
    await assertZonesValid(dir.dir);
  });
});
