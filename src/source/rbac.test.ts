import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseDocument } from 'yaml';
import { RBAC_SOURCES, rbacRulesFor, SOURCE_RULES } from './rbac.ts';
import { SOURCE_KINDS } from './translate.ts';

const root = join(import.meta.dirname, '..', '..');

describe('rbacRulesFor', () => {
  test('deploy/base/clusterrole.yaml holds exactly the rules of every source', async () => {
    const role = parse(await readFile(join(root, 'deploy/base/clusterrole.yaml'), 'utf8')) as { kind: string; metadata: { name: string }; rules: unknown[] };
    assert.equal(role.kind, 'ClusterRole');
    assert.equal(role.metadata.name, 'extdns');
    assert.deepEqual(role.rules, rbacRulesFor(RBAC_SOURCES));
  });

  test('every rule in the YAML is commented with the sources that need it', async () => {
    const doc = parseDocument(await readFile(join(root, 'deploy/base/clusterrole.yaml'), 'utf8'));
    const text = doc.toString();
    for (const rule of SOURCE_RULES) assert.ok(text.includes(`# --source=${rule.sources.join(', ')}:`), `no comment for ${rule.resources.join(',')}`);
  });

  test('every Kubernetes-backed source has rules for its own resource and its lookups', () => {
    for (const [name, kind] of Object.entries(SOURCE_KINDS)) {
      const granted = rbacRulesFor([name]);
      for (const r of [kind, ...kind.lookups]) {
        const ok = granted.some((g) => g.apiGroups.includes(r.group) && g.resources.includes(r.resource) && g.verbs.includes('list') && g.verbs.includes('watch'));
        assert.ok(ok, `--source=${name} cannot list and watch ${r.resource}.${r.group}`);
      }
    }
  });

  test('only the asked-for sources count', () => {
    assert.deepEqual(rbacRulesFor(['ingress']), [{ apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'watch', 'list'] }]);
    assert.deepEqual(rbacRulesFor(['manifest']), []);
    const node = rbacRulesFor(['node', 'pod']);
    assert.equal(node.filter((r) => r.resources.includes('nodes')).length, 1, 'a rule two sources need comes once');
  });
});

describe('the DNSEndpoint CRD', () => {
  test('is externaldns.k8s.io/v1alpha1 DNSEndpoint with a status subresource and the endpoint fields', async () => {
    const crd = parse(await readFile(join(root, 'deploy/crd/dnsendpoints.externaldns.k8s.io.yaml'), 'utf8')) as {
      spec: { group: string; names: { kind: string; plural: string }; scope: string; versions: { name: string; served: boolean; storage: boolean; subresources: unknown; schema: { openAPIV3Schema: { properties: Record<string, { properties: Record<string, { items: { properties: Record<string, unknown> } }> }> } } }[] };
    };
    assert.equal(crd.spec.group, 'externaldns.k8s.io');
    assert.equal(crd.spec.names.kind, 'DNSEndpoint');
    assert.equal(crd.spec.names.plural, SOURCE_KINDS.crd.resource);
    assert.equal(crd.spec.scope, 'Namespaced');
    const v = crd.spec.versions[0];
    assert.ok(v !== undefined);
    assert.equal(v.name, SOURCE_KINDS.crd.version);
    assert.deepEqual(v.subresources, { status: {} });
    const item = v.schema.openAPIV3Schema.properties.spec?.properties.endpoints?.items.properties ?? {};
    assert.deepEqual(Object.keys(item).sort(), ['dnsName', 'labels', 'providerSpecific', 'recordTTL', 'recordType', 'setIdentifier', 'targets']);
  });
});
