import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtdnsError } from '../errors/errors.ts';
import type { KubeObject } from './kube.ts';
import { compileTemplate, splitHostTarget, type TemplateFlag } from './template-flags.ts';

const svc: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'Web', namespace: 'shop', labels: { app: 'web', 'app.kubernetes.io/part-of': 'store' }, annotations: { team: 'blue' } },
  spec: { type: 'LoadBalancer', clusterIP: '10.0.0.7', selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443 }] },
  status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { hostname: 'lb.example.net' }] } },
};

const node: KubeObject = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1' },
  status: { addresses: [{ type: 'InternalIP', address: '10.1.1.1' }, { type: 'ExternalIP', address: '2001:db8::1' }, { type: 'ExternalIP', address: '203.0.113.9' }] },
};

function run(template: string, obj: KubeObject = svc, flag: TemplateFlag = '--fqdn-template'): string[] {
  const t = compileTemplate(flag, [template]);
  assert.ok(t !== undefined);
  return t.evaluate(obj).values;
}

test('fields, label lookups, toLower, several templates; output split, trimmed, de-duplicated and sorted', () => {
  const t = compileTemplate('--fqdn-template', ['{{ .Name | toLower }}.{{.Namespace}}.example.org.', '{{ index .Labels "app.kubernetes.io/part-of" }}-{{ .Labels.app }}.example.org , {{.Annotations.team}}.{{.Kind}}.example.org', '{{ .Name | toLower }}.{{.Namespace}}.example.org.']);
  assert.deepEqual(t?.hostnames(svc), ['blue.Service.example.org', 'store-web.example.org', 'web.shop.example.org']);
});

test('a missing map key prints Go\'s "<no value>", index gives "", and empty templates mean no template', () => {
  assert.deepEqual(run('{{ .Labels.missing }}'), ['<no value>']);
  assert.deepEqual(run('{{ index .Labels "missing" }}'), []);
  assert.deepEqual(run('{{ or .Annotations.dns "fallback" }}.example.org'), ['fallback.example.org']);
  assert.equal(compileTemplate('--fqdn-template', []), undefined);
  assert.equal(compileTemplate('--fqdn-template', ['', '  ']), undefined);
});

test('Go field names read the JSON shape: Spec, Status, ObjectMeta, APIVersion', () => {
  assert.deepEqual(run('{{ .Spec.Type }}-{{ .Spec.ClusterIP }}-{{ index .Spec.Selector "app" }}-{{ .ObjectMeta.Name }}-{{ .APIVersion }}'), ['LoadBalancer-10.0.0.7-web-Web-v1']);
  assert.deepEqual(run('{{ range .Status.LoadBalancer.Ingress }}{{ .IP }}{{ .Hostname }},{{ end }}', svc, '--target-template'), ['192.0.2.1', 'lb.example.net']);
  assert.deepEqual(run('{{ .Spec.Missing }}x'), ['x']);
});

test('conditionals, comparisons and boolean logic', () => {
  assert.deepEqual(run('{{ if eq .Kind "Service" }}{{ .Name }}.svc{{ else if eq .Kind "Pod" }}pod{{ else }}other{{ end }}.example.org'), ['Web.svc.example.org']);
  assert.deepEqual(run('{{ if eq .Kind "Pod" }}{{ .Name }}.example.org{{ end }}'), []);
  assert.deepEqual(run('{{ if and (eq .Spec.Type "LoadBalancer") (not (eq .Namespace "kube-system")) }}yes{{ end }}'), ['yes']);
  assert.deepEqual(run('{{ if or (eq .Namespace "a") (eq .Namespace "b" "shop") }}multi{{ end }}'), ['multi']);
  assert.deepEqual(run('{{ if gt (len .Spec.Ports) 1 }}many{{ end }}{{ with .Spec.Selector }}-{{ .app }}{{ end }}'), ['many-web']);
  assert.deepEqual(run('{{ with .Labels.nope }}x{{ else }}none{{ end }}'), ['none']);
});

test('range over maps (sorted keys) and lists, variables, $, break and continue', () => {
  assert.deepEqual(run('{{ range $k, $v := .Labels }}{{ if contains $k "app" }}{{ $.Name }}.{{ $v }}.example.org,{{ end }}{{ end }}'), ['Web.store.example.org', 'Web.web.example.org']);
  assert.deepEqual(
    run('{{ range .Status.Addresses }}{{ if and (eq .Type "ExternalIP") (isIPv4 .Address) }}{{ .Address | replace "." "-" }}{{ break }}{{ end }}{{ end }}.example.com', node),
    ['203-0-113-9.example.com'],
  );
  assert.deepEqual(run('{{ range $i, $a := .Status.Addresses }}{{ if eq $i 0 }}{{ continue }}{{ end }}{{ $a.Address }},{{ end }}', node), ['2001:db8::1', '203.0.113.9']);
  assert.deepEqual(run('{{ $n := .Name }}{{ $n = printf "%s-%d" $n 2 }}{{ $n }}.example.org'), ['Web-2.example.org']);
  assert.deepEqual(run('{{ range .Spec.Nothing }}x{{ else }}empty{{ end }}'), ['empty']);
});

test('the ExternalDNS functions', () => {
  assert.deepEqual(run('{{ trimPrefix "pre" "prefix" }},{{ trimSuffix "fix" "suffix" }},{{ trim "  t  " }},{{ toLower "HeLLo" }},{{ replace "l" "w" "hello" }}'), ['fix', 'hewwo', 'hello', 'suf', 't'].sort());
  assert.deepEqual(run('{{ isIPv4 "192.0.2.1" }}-{{ isIPv6 "::FFFF:192.168.1.1" }}-{{ isIPv6 "192.0.2.1" }}-{{ contains "hello" "ell" }}-{{ isSource "service" }}'), ['true-true-false-true-false']);
  assert.deepEqual(run('{{ hasKey .Labels "app" }}-{{ hasKey .Labels "nope" }}'), ['true-false']);
  assert.deepEqual(run('{{ range (index .Annotations "list" | fromJson) }}{{ .dns }},{{ end }}', { ...svc, metadata: { ...svc.metadata, annotations: { list: '[{"dns":"a.example.org"},{"dns":"b.example.org"}]' } } }), ['a.example.org', 'b.example.org']);
  assert.deepEqual(run('{{- /* a comment */ -}}  {{- .Name -}}  .x'), ['Web.x']);
});

test('a template that fails on one object gives nothing and says why', () => {
  const t = compileTemplate('--target-template', ['{{ .Name.Deeper }}']);
  const result = t?.evaluate(svc);
  assert.deepEqual(result?.values, []);
  assert.match(result?.error ?? '', /--target-template failed on Service shop\/Web: can't evaluate field Deeper/);
  assert.deepEqual(t?.hostnames(svc), []);
  assert.match(compileTemplate('--fqdn-template', ['{{ index .Spec.Ports 9 }}'])?.evaluate(svc).error ?? '', /index out of range/);
});

test('syntax Go rejects (or extdns does not support) is refused at start-up, naming the flag', () => {
  const bad = ['{{ if .Name }}x', '{{ .Name | upper }}', '{{ .Name', '{{ end }}', '{{ define "x" }}{{ end }}', '{{ template "x" }}', '{{ break }}', '{{ (.Name }}', '{{ .Name | }}', '{{ nope 1 }}'];
  for (const flag of ['--fqdn-template', '--target-template', '--fqdn-target-template'] as const) {
    for (const text of bad) {
      assert.throws(
        () => compileTemplate(flag, [text]),
        (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_SOURCE_OPTION_INVALID' && e.message.startsWith(`${flag} "`),
        `${flag} ${text}`,
      );
    }
  }
});

test('host:target pairs split on the first colon, so IPv6 targets survive', () => {
  assert.deepEqual(splitHostTarget('a.example.org:2001:db8::1'), { host: 'a.example.org', target: '2001:db8::1' });
  assert.deepEqual(splitHostTarget(' a.example.org. : lb.example.net '), { host: 'a.example.org', target: 'lb.example.net' });
  assert.equal(splitHostTarget('no-colon.example.org'), undefined);
  assert.equal(splitHostTarget('a.example.org:'), undefined);
  assert.equal(splitHostTarget(':192.0.2.1'), undefined);
});
