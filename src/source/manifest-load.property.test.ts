/**
 * Properties of reading manifest files (issue 12: property tests on every
 * parser of outside input): any text, and any object-shaped YAML with
 * values of the wrong kind, either yields objects or fails with
 * EXTDNS_SOURCE_MANIFEST_INVALID naming the file, never another error; and
 * what loads is a Kubernetes object with a name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ExtdnsError } from '../errors/errors.ts';
import { propertyRuns } from '../../test/support/property-runs.ts';
import { parseManifest } from './manifest-load.ts';

const FILE = 'manifests/web.yaml';

function check(text: string): void {
  try {
    for (const loaded of parseManifest(FILE, text)) {
      assert.equal(typeof loaded.object.kind, 'string');
      assert.ok(loaded.object.metadata.name !== '');
      assert.ok(loaded.document >= 1 && loaded.line >= 0);
    }
  } catch (err) {
    assert.ok(ExtdnsError.is(err), `not an ExtdnsError: ${String(err)}`);
    assert.equal(err.code, 'EXTDNS_SOURCE_MANIFEST_INVALID', err.message);
    assert.ok(err.message.startsWith(`${FILE}: document `), err.message);
  }
}

const odd = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.string({ maxLength: 10 }), fc.constant([]), fc.constant({}));
const maybe = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: odd });
const stringMap = fc.dictionary(fc.constantFrom('external-dns.kubernetes.io/hostname', 'external-dns.kubernetes.io/ttl', 'app', 'x'), maybe(fc.string({ maxLength: 20 })));
const object = fc.record({
  apiVersion: maybe(fc.constantFrom('v1', 'networking.k8s.io/v1', 'externaldns.k8s.io/v1alpha1', 'apps/v1')),
  kind: maybe(fc.constantFrom('Service', 'Ingress', 'DNSEndpoint', 'Deployment', 'List', 'ServiceList')),
  metadata: maybe(fc.record({ name: maybe(fc.constantFrom('web', 'api', '')), namespace: maybe(fc.constantFrom('default', 'prod')), labels: maybe(stringMap), annotations: maybe(stringMap) }, { requiredKeys: [] })),
  spec: odd,
  items: maybe(fc.array(odd, { maxLength: 2 })),
}, { requiredKeys: [] });

test('object-shaped documents with values of any kind load or fail with EXTDNS_SOURCE_MANIFEST_INVALID naming the file', () => {
  fc.assert(fc.property(fc.array(object, { minLength: 1, maxLength: 3 }), (docs) => {
    check(docs.map((d) => stringify(d)).join('---\n'));
  }), propertyRuns(400));
});

test('any text as a manifest file loads or fails with EXTDNS_SOURCE_MANIFEST_INVALID naming the file', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.array(fc.constantFrom('---\n', 'a: &x [1]\n', 'b: *x\n', 'c: *y\n', 'kind: Service\n', 'apiVersion: v1\n', 'metadata: {name: w}\n', '- 1\n', '!!str\n', '{]\n', '"\n', '\t\n'), { maxLength: 8 }).map((p) => p.join('')),
  );
  fc.assert(fc.property(text, check), propertyRuns(500));
});
