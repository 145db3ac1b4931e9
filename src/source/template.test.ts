import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtdnsError } from '../errors/errors.ts';
import type { KubeObject } from './kube.ts';
import { compileFqdnTemplate } from './template.ts';

const svc: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'Web', namespace: 'shop', labels: { app: 'web', 'app.kubernetes.io/part-of': 'store' }, annotations: { team: 'blue' } },
};

test('fields, label lookups, toLower, several templates and splitting', () => {
  const t = compileFqdnTemplate(['{{ .Name | toLower }}.{{.Namespace}}.example.org.', '{{ index .Labels "app.kubernetes.io/part-of" }}-{{ .Labels.app }}.example.org , {{.Annotations.team}}.{{.Kind}}.example.org']);
  assert.deepEqual(t?.hostnames(svc), ['web.shop.example.org', 'store-web.example.org', 'blue.Service.example.org']);
});

test('a missing label gives an empty part; empty templates mean no template', () => {
  assert.deepEqual(compileFqdnTemplate(['{{ .Labels.missing }}'])?.hostnames(svc), []);
  assert.equal(compileFqdnTemplate([]), undefined);
  assert.equal(compileFqdnTemplate(['']), undefined);
});

test('syntax outside the subset is refused at start-up', () => {
  for (const bad of ['{{ if .Name }}x{{ end }}', '{{ .Spec.type }}', '{{ .Name | upper }}', '{{ .Name']) {
    assert.throws(() => compileFqdnTemplate([bad]), (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_SOURCE_OPTION_INVALID' && e.message.includes('--fqdn-template'));
  }
});
