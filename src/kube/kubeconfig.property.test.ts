/**
 * Properties of reading kubeconfig files (issue 12: property tests on every
 * parser of outside input): any text, and any kubeconfig-shaped document
 * with values of the wrong kind, either resolves to a connection or fails
 * with EXTDNS_KUBE_CONFIG naming what is wrong, never another error.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ExtdnsError } from '../errors/errors.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { propertyRuns } from '../../test/support/property-runs.ts';
import { resolveKubeConnection } from './kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'extdns-kubeconfig-prop-'));
after(() => { rmSync(dir, { recursive: true, force: true }); });
const file = join(dir, 'config');
const clock = new FakeClock();

async function outcome(text: string): Promise<void> {
  writeFileSync(file, text);
  try {
    const conn = await resolveKubeConnection({ kubeconfig: file, env: {}, clock });
    assert.match(conn.server, /^https?:\/\//);
  } catch (err) {
    assert.ok(ExtdnsError.is(err), `not an ExtdnsError: ${String(err)}`);
    assert.equal(err.code, 'EXTDNS_KUBE_CONFIG', err.message);
  }
}

/** A value that is sometimes right and often of the wrong kind. */
const odd = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.string({ maxLength: 12 }), fc.constant([]), fc.constant({}));
const maybe = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: odd });

const cluster = fc.record({
  server: maybe(fc.constantFrom('https://127.0.0.1:6443', 'http://localhost:8080', '127.0.0.1:6443', 'https://[::1]:6443/', 'ftp://x', '')),
  'certificate-authority-data': maybe(fc.constantFrom('', 'bm90IHBlbQ==', Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64'))),
  'insecure-skip-tls-verify': maybe(fc.boolean()),
  'tls-server-name': maybe(fc.string({ maxLength: 10 })),
}, { requiredKeys: [] });
const user = fc.record({
  token: maybe(fc.string({ maxLength: 20 })),
  tokenFile: maybe(fc.constantFrom('/dev/zero', '/nonexistent/token', 'relative-token')),
  username: maybe(fc.string({ maxLength: 8 })),
  password: maybe(fc.string({ maxLength: 8 })),
  'auth-provider': fc.constant({ name: 'gcp' }),
}, { requiredKeys: [] });
const named = <T>(key: string, value: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  maybe(fc.array(fc.record({ name: maybe(fc.constantFrom('a', 'b')), [key]: maybe(value) }, { requiredKeys: [] }), { maxLength: 3 }));
const kubeconfig = fc.record({
  apiVersion: maybe(fc.constant('v1')),
  kind: maybe(fc.constant('Config')),
  'current-context': maybe(fc.constantFrom('a', 'b', 'missing')),
  clusters: named('cluster', cluster),
  users: named('user', user),
  contexts: named('context', fc.record({ cluster: maybe(fc.constantFrom('a', 'b')), user: maybe(fc.constantFrom('a', 'b')), namespace: maybe(fc.string({ maxLength: 8 })) }, { requiredKeys: [] })),
}, { requiredKeys: [] });

test('kubeconfig-shaped documents with values of any kind resolve or fail with EXTDNS_KUBE_CONFIG', async () => {
  await fc.assert(fc.asyncProperty(kubeconfig, (doc) => outcome(stringify(doc))), propertyRuns(300));
});

test('any text as a kubeconfig resolves or fails with EXTDNS_KUBE_CONFIG', async () => {
  const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('a: &a [*a]', 'a: *b', '- x\n- y', '!!binary AAAA', 'clusters: {a: 1}', '\uFEFFkind: Config'));
  await fc.assert(fc.asyncProperty(text, outcome), propertyRuns(300));
});

test('a control character in a kubeconfig token is EXTDNS_KUBE_CONFIG naming the user, without the token', async () => {
  writeFileSync(file, stringify({
    'current-context': 'a',
    clusters: [{ name: 'a', cluster: { server: 'https://127.0.0.1:6443' } }],
    users: [{ name: 'a', user: { token: 's3cret-token\n' } }],
    contexts: [{ name: 'a', context: { cluster: 'a', user: 'a' } }],
  }));
  await assert.rejects(resolveKubeConnection({ kubeconfig: file, env: {}, clock }), (err: Error & { code?: string }) =>
    err.code === 'EXTDNS_KUBE_CONFIG' && /token contains a newline at its end/.test(err.message) && !err.message.includes('s3cret'));
});
