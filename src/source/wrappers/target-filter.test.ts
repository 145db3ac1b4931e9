import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEndpoint } from '../../endpoint/endpoint.ts';
import { ExtdnsError } from '../../errors/errors.ts';
import { createTargetNetFilter, filterTargets } from './target-filter.ts';

test('include and exclude networks, both families', () => {
  const f = createTargetNetFilter({ targetNetFilter: ['10.0.0.0/8', '2001:db8::/32'], excludeTargetNets: ['10.1.0.0/16'] });
  assert.equal(f.enabled, true);
  assert.equal(f.match('10.2.3.4'), true);
  assert.equal(f.match('10.1.3.4'), false);
  assert.equal(f.match('192.0.2.1'), false);
  assert.equal(f.match('2001:db8::5'), true);
  assert.equal(f.match('lb.example.net'), false);
});

test('a network written with host bits still covers its range', () => {
  const f = createTargetNetFilter({ targetNetFilter: ['192.0.2.77/24'], excludeTargetNets: [] });
  assert.equal(f.match('192.0.2.1'), true);
  assert.equal(f.match('192.0.3.1'), false);
});

test('exclusions alone keep hostnames', () => {
  const f = createTargetNetFilter({ targetNetFilter: [], excludeTargetNets: ['10.0.0.0/8'] });
  assert.equal(f.match('lb.example.net'), true);
  assert.equal(f.match('10.0.0.1'), false);
});

test('endpoints lose filtered targets and disappear when none are left', () => {
  const f = createTargetNetFilter({ targetNetFilter: ['192.0.2.0/24'], excludeTargetNets: [] });
  const eps = [
    newEndpoint({ dnsName: 'a.example.org', recordType: 'A', targets: ['192.0.2.1', '10.0.0.1'] }),
    newEndpoint({ dnsName: 'b.example.org', recordType: 'A', targets: ['10.0.0.2'] }),
  ];
  assert.deepEqual(filterTargets(eps, f).map((e) => [e.dnsName, e.targets]), [['a.example.org', ['192.0.2.1']]]);
  assert.deepEqual(eps[0]?.targets, ['192.0.2.1', '10.0.0.1']);
});

test('disabled filter passes everything; bad CIDRs are refused', () => {
  const off = createTargetNetFilter({ targetNetFilter: [], excludeTargetNets: [] });
  assert.equal(off.enabled, false);
  for (const bad of ['10.0.0.0', '10.0.0.0/33', 'x/8', '10.0.0.0/8/1', '::/129']) {
    assert.throws(() => createTargetNetFilter({ targetNetFilter: [bad], excludeTargetNets: [] }), (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_SOURCE_OPTION_INVALID');
  }
});
