import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newEndpoint, endpointKey } from './endpoint.ts';

test('newEndpoint trims trailing dots except for TXT/SRV/NAPTR targets', () => {
  const a = newEndpoint({ dnsName: 'www.example.com.', recordType: 'CNAME', targets: ['lb.example.net.'] });
  assert.equal(a.dnsName, 'www.example.com');
  assert.deepEqual(a.targets, ['lb.example.net']);
  const srv = newEndpoint({ dnsName: '_x._tcp.example.com', recordType: 'SRV', targets: ['0 50 80 host.example.com.'] });
  assert.deepEqual(srv.targets, ['0 50 80 host.example.com.']);
  assert.notEqual(endpointKey(a), endpointKey({ ...a, setIdentifier: 'eu' }));
});
