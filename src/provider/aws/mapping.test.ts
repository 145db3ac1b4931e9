import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getProperty, newEndpoint } from '../../endpoint/endpoint.ts';
import { canonicalHostedZone, looksLikeUnknownAwsService } from './canonical-zones.ts';
import { adjustEndpoint, changeCost, decodeName, endpointToRecordSet, recordSetToEndpoint } from './mapping.ts';
import { quoteTxt } from '../txt-content.ts';

const opts = { preferCname: false, evaluateTargetHealth: true };

test('canonical hosted zones: ELB, NLB, API Gateway, S3 website, CloudFront, GovCloud and China', () => {
  assert.equal(canonicalHostedZone('my-lb-1.us-east-1.elb.amazonaws.com'), 'Z35SXDOTRQ7X7K');
  assert.equal(canonicalHostedZone('dualstack.my-lb-1.eu-west-1.elb.amazonaws.com.'), 'Z32O12XQLNTSW2');
  assert.equal(canonicalHostedZone('my-nlb-1.elb.us-gov-east-1.amazonaws.com'), 'Z1ZSMQQ6Q24QQ8');
  assert.equal(canonicalHostedZone('abc.execute-api.us-gov-west-1.amazonaws.com'), 'Z1K6XKP9SAGWDV');
  assert.equal(canonicalHostedZone('bucket.s3-website-us-gov-west-1.amazonaws.com'), 'Z31GFT0UA1I2HV');
  assert.equal(canonicalHostedZone('bucket.s3-website.eu-central-1.amazonaws.com'), 'Z21DNDUVLTQW6Q');
  assert.equal(canonicalHostedZone('d111.cloudfront.net'), 'Z2FDTNDATAQYW2');
  assert.equal(canonicalHostedZone('lb.cn-north-1.elb.amazonaws.com.cn'), 'Z1GDH35T77C1KE');
  assert.equal(canonicalHostedZone('example.com'), undefined);
  assert.equal(looksLikeUnknownAwsService('lb.xx-new-9.elb.amazonaws.com'), true);
});

test('record sets read back: escapes decoded, alias as A with alias=true and TTL 300, CNAME with alias=false, routing properties', () => {
  assert.equal(decodeName('\\052.Example.COM.'), '*.example.com');
  const alias = recordSetToEndpoint({ Name: 'lb.example.com.', Type: 'A', AliasTarget: { DNSName: 'x.us-east-1.elb.amazonaws.com.', HostedZoneId: 'Z35SXDOTRQ7X7K', EvaluateTargetHealth: true } });
  assert.equal(alias?.recordTTL, 300);
  assert.deepEqual(alias?.targets, ['x.us-east-1.elb.amazonaws.com']);
  assert.equal(alias === undefined ? '' : getProperty(alias, 'alias'), 'true');
  const cname = recordSetToEndpoint({ Name: 'www.example.com.', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'example.net' }] });
  assert.equal(cname === undefined ? '' : getProperty(cname, 'alias'), 'false');
  const weighted = recordSetToEndpoint({ Name: 'w.example.com.', Type: 'A', TTL: 60, SetIdentifier: 'a', Weight: 5, HealthCheckId: 'hc', ResourceRecords: [{ Value: '192.0.2.1' }] });
  assert.deepEqual(weighted?.providerSpecific, [{ name: 'aws/weight', value: '5' }, { name: 'aws/health-check-id', value: 'hc' }]);
  assert.equal(recordSetToEndpoint({ Name: 'example.com.', Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'x' }] }), undefined);
});

test('adjust: a CNAME to an ELB becomes an A and an AAAA alias; --aws-prefer-cname keeps it; TXT quoted; TTL defaults to 300', () => {
  const cname = newEndpoint({ dnsName: 'LB.Example.com.', recordType: 'CNAME', targets: ['My-LB.us-east-1.elb.amazonaws.com'], recordTTL: 60 });
  const [a, aaaa, extra] = adjustEndpoint(cname, opts);
  assert.equal(extra, undefined);
  assert.equal(a?.recordType, 'A');
  assert.equal(aaaa?.recordType, 'AAAA');
  assert.equal(a?.dnsName, 'lb.example.com');
  assert.equal(a?.recordTTL, 300);
  assert.deepEqual(a?.targets, ['my-lb.us-east-1.elb.amazonaws.com']);
  assert.equal(a === undefined ? '' : getProperty(a, 'aws/evaluate-target-health'), 'true');
  const kept = adjustEndpoint(cname, { ...opts, preferCname: true });
  assert.equal(kept.length, 1);
  assert.equal(kept[0]?.recordType, 'CNAME');
  assert.equal(kept[0] === undefined ? '' : getProperty(kept[0], 'alias'), 'false');
  const [txt] = adjustEndpoint(newEndpoint({ dnsName: 't.example.com', recordType: 'TXT', targets: ['v=spf1 -all', '"quoted"'] }), opts);
  assert.deepEqual(txt?.targets, ['"v=spf1 -all"', '"quoted"']);
  assert.equal(txt?.recordTTL, 300);
  assert.equal(quoteTxt('a "b"'), '"a \\"b\\""');
  const [odd] = adjustEndpoint(newEndpoint({ dnsName: 'x.example.com', recordType: 'A', targets: ['192.0.2.1'], providerSpecific: [{ name: 'aws/geoproximity-bias', value: '10' }, { name: 'webhook/keep', value: '1' }] }), opts);
  assert.deepEqual(odd?.providerSpecific, [{ name: 'webhook/keep', value: '1' }], 'aws/* properties Route53 does not round-trip are dropped');
});

test('record set written: alias target zone, same-zone alias, routing policy, wildcard escape; UPSERT counts twice', () => {
  const [alias] = adjustEndpoint(newEndpoint({ dnsName: 'a.example.com', recordType: 'A', targets: ['b.example.com'], providerSpecific: [{ name: 'alias', value: 'true' }] }), opts);
  const rrset = endpointToRecordSet(alias ?? newEndpoint({ dnsName: '', recordType: 'A' }), { zoneId: 'ZSAME', evaluateTargetHealth: true });
  assert.deepEqual(rrset.AliasTarget, { DNSName: 'b.example.com', HostedZoneId: 'ZSAME', EvaluateTargetHealth: true });
  assert.equal(rrset.TTL, undefined);
  const geo = endpointToRecordSet(newEndpoint({ dnsName: '*.example.com', recordType: 'A', targets: ['192.0.2.1', '192.0.2.2'], recordTTL: 60, setIdentifier: 'eu',
    providerSpecific: [{ name: 'aws/geolocation-continent-code', value: 'EU' }] }), { zoneId: 'Z', evaluateTargetHealth: true });
  assert.equal(geo.Name, '\\052.example.com.');
  assert.deepEqual(geo.GeoLocation, { ContinentCode: 'EU' });
  assert.equal(geo.SetIdentifier, 'eu');
  assert.deepEqual(changeCost(geo, 'CREATE'), { values: 2, chars: 18 });
  assert.deepEqual(changeCost(geo, 'UPSERT'), { values: 4, chars: 36 });
});
