/**
 * Properties of reading an explicit CA file (issue 12: property tests on PEM
 * bundles): any bytes either load as certificates or fail with
 * EXTDNS_TLS_CA_FILE naming the file, never another error; a valid bundle
 * loads whatever comments and blank lines surround its blocks; and text after
 * the last block is always refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import fc from 'fast-check';
import { ExtdnsError } from '../errors/errors.ts';
import { createPki, type Pki } from '../../test/support/pki.ts';
import { propertyRuns } from '../../test/support/property-runs.ts';
import { readExplicitCa, type TrustFs } from './pem.ts';

const FILE = '/ca/bundle.pem';

/** A file system holding one file with `bytes`. */
function oneFile(bytes: Buffer): TrustFs {
  const stat = statSync(import.meta.filename); // any regular file's Stats
  return { readFileSync: () => bytes, statSync: () => stat, lstatSync: () => stat, readdirSync: () => [], readlinkSync: () => FILE };
}

function load(bytes: Buffer): number | ExtdnsError {
  try {
    return readExplicitCa(FILE, '--tls-ca', oneFile(bytes)).certs.length;
  } catch (err) {
    assert.ok(ExtdnsError.is(err), `not an ExtdnsError: ${String(err)}`);
    return err;
  }
}

let pki: Pki;
before(async () => { pki = await createPki(); });
after(() => pki.cleanup());

const comment = fc.constantFrom('', '\n', '# Issuer: CN=extdns test root\n', 'Certificate:\n    Data:\n        Version: 3 (0x2)\n', '\r\n  \n');

test('any bytes load as certificates or fail with EXTDNS_TLS_CA_FILE naming the file', () => {
  const pieces = fc.array(fc.oneof(
    fc.constant(() => pki.rootA.cert), fc.constant(() => pki.rootA.key), fc.constant(() => pki.leaf.cert),
    fc.string({ maxLength: 30 }).map((s) => () => s),
    fc.constant(() => '-----BEGIN CERTIFICATE-----\n'), fc.constant(() => '-----END CERTIFICATE-----\n'),
    fc.constant(() => pki.rootB.cert.slice(0, 200)),
  ), { maxLength: 6 });
  fc.assert(fc.property(pieces, fc.uint8Array({ maxLength: 16 }), (parts, raw) => {
    const outcome = load(Buffer.concat([Buffer.from(parts.map((p) => p()).join('')), Buffer.from(raw)]));
    if (typeof outcome !== 'number') {
      assert.equal(outcome.code, 'EXTDNS_TLS_CA_FILE');
      assert.ok(outcome.message.includes(FILE), outcome.message);
    }
  }), propertyRuns(400));
});

test('CA certificates with comments and blank lines around them all load', () => {
  const cas = fc.array(fc.constantFrom('rootA', 'rootB', 'clientCa') , { minLength: 1, maxLength: 4 });
  fc.assert(fc.property(cas, fc.array(comment, { minLength: 5, maxLength: 5 }), fc.constantFrom('', '\n', '\n\n  \n'), (names, gaps, end) => {
    const text = names.map((n, i) => `${gaps[i] ?? ''}${pki[n as 'rootA'].cert.trimEnd()}\n`).join('') + end;
    assert.equal(load(Buffer.from(text)), names.length);
  }), propertyRuns(200));
});

test('any non-blank text after the last block is refused, with its line', () => {
  const tail = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && !s.includes('-----'));
  fc.assert(fc.property(tail, (extra) => {
    const outcome = load(Buffer.from(`${pki.rootA.cert}${extra}`));
    assert.ok(outcome instanceof ExtdnsError, 'accepted');
    assert.match(outcome.message, /after its last PEM block, from line \d+/);
  }), propertyRuns(300));
});
