/**
 * Go's text/template, as ExternalDNS v0.22 runs --fqdn-template and friends,
 * against extdns's (src/source/gotemplate.ts): each case of
 * test/golden/go-v0.22/templates.jsonl holds a template and what Go printed
 * over the Service in templates-service.json (a v1.Service), or Go's error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TemplateExecError, TemplateSyntaxError } from '../../src/source/gotemplate.ts';
import type { KubeObject } from '../../src/source/kube.ts';
import { renderTemplateText } from '../../src/source/template-flags.ts';

interface GoCase {
  name: string;
  template: string;
  output?: string;
  parseError?: string;
  execError?: string;
}

const dir = new URL('./go-v0.22/', import.meta.url);
const cases = readFileSync(new URL('templates.jsonl', dir), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as GoCase);
const service = JSON.parse(readFileSync(new URL('templates-service.json', dir), 'utf8')) as KubeObject;

/** Go's "error calling eq: <cause>" → the cause; extdns names Go's own types only for template literals. */
function goCause(message: string): string {
  return message.replace(/^.*error calling \w+: /s, '');
}

/** Values of Kubernetes types ([]v1.ServicePort, map[string]string) have no Go type in extdns: compare the phrase before the types. */
const TYPED_FROM_OBJECT = new Set(['eq-slice-int', 'eq-maps']);

test('the golden file covers printf, trim markers, number literals, eq/ne/lt types and truthiness', () => {
  const prefixes = new Set(cases.map((c) => c.name.split('-')[0]));
  for (const p of ['printf', 'trim', 'number', 'eq', 'ne', 'lt', 'struct']) assert.ok(prefixes.has(p), p);
  assert.ok(cases.length >= 50);
});

for (const c of cases) {
  test(`Go template ${c.name}: ${JSON.stringify(c.template)}`, () => {
    const run = (): string => renderTemplateText(c.template, service);
    if (c.output !== undefined) {
      assert.equal(run(), c.output);
    } else if (c.parseError !== undefined) {
      assert.throws(run, TemplateSyntaxError);
    } else {
      const cause = goCause(c.execError ?? '');
      assert.throws(run, (e: unknown) => {
        assert.ok(e instanceof TemplateExecError, String(e));
        if (TYPED_FROM_OBJECT.has(c.name)) assert.equal(e.message.split(':')[0], cause.split(':')[0]);
        else assert.equal(e.message, cause);
        return true;
      });
    }
  });
}
