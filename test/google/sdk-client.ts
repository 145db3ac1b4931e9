/**
 * Run as a child process by sdk.test.ts: the official @google-cloud/dns SDK
 * against the Cloud DNS test server (NODE_EXTRA_CA_CERTS trusts the test CA,
 * GCE_METADATA_HOST gives its credentials). Prints what the SDK saw as JSON.
 */
import { DNS } from '@google-cloud/dns';

const [apiEndpoint = '', zoneName = ''] = process.argv.slice(2);
const dns = new DNS({ apiEndpoint });
const [zones] = await dns.getZones({ autoPaginate: true });
const zone = dns.zone(zoneName);
const add = zone.record('a', { name: `sdk.${String((zones.find((z) => z.name === zoneName)?.metadata as { dnsName?: string } | undefined)?.dnsName)}`, ttl: 60, data: ['192.0.2.7', '192.0.2.8'] });
await zone.createChange({ add });
const [recordsAfterAdd] = await zone.getRecords({ autoPaginate: true });
let conflict = '';
try {
  await zone.createChange({ add });
} catch (err) {
  conflict = `${String((err as { code?: unknown }).code)} ${(err as Error).message}`;
}
await zone.createChange({ delete: add });
const [recordsAfterDelete] = await zone.getRecords({ autoPaginate: true });
process.stdout.write(JSON.stringify({
  project: await dns.getProjectId(),
  zones: zones.map((z) => z.name),
  afterAdd: recordsAfterAdd.map((r) => `${r.metadata.name} ${r.type} ${String(r.metadata.ttl)} ${(r.data ?? []).join(',')}`),
  conflict,
  afterDelete: recordsAfterDelete.map((r) => `${r.metadata.name} ${r.type}`),
}));
