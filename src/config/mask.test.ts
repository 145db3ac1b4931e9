import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from './parse.ts';
import { SECRET_MASK, maskedConfig, secretConfigKeys } from './mask.ts';
import { readKubeEnvironment, readTrustEnvironment } from './environment.ts';

const SUPPORTED = { sources: ['service'], providers: ['pdns'], registries: ['txt'] };

test('maskedConfig hides set secrets, keeps empty ones empty, and shows the rest', () => {
  const config = parseConfig(
    ['--source=service', '--provider=pdns', '--policy=sync', '--pdns-api-key=s3cret', '--txt-owner-id=me', '--domain-filter=a.org'],
    { EXTERNAL_DNS_RFC2136_TSIG_SECRET: 'tsig-secret' },
    SUPPORTED,
  );
  const masked = maskedConfig(config);
  assert.equal(masked['pdnsApiKey'], SECRET_MASK);
  assert.equal(masked['rfc2136TsigSecret'], SECRET_MASK);
  assert.equal(masked['godaddyApiKey'], '');
  assert.equal(masked['txtOwnerId'], 'me');
  assert.deepEqual(masked['domainFilter'], ['a.org']);
  assert.equal(Object.keys(masked).length, Object.keys(config).length);
  const text = JSON.stringify(masked);
  assert.ok(!text.includes('s3cret') && !text.includes('tsig-secret'));
  assert.ok(secretConfigKeys().includes('txtEncryptAesKey'));
});

test('readTrustEnvironment: empty counts as unset; ETCD_TLS_INSECURE as Go reads it', () => {
  assert.deepEqual(readTrustEnvironment({ SSL_CERT_FILE: '', SSL_CERT_DIR: '/a:/b', HOME: '/root' }), { sslCertDir: '/a:/b' });
  const all = readTrustEnvironment({
    SSL_CERT_FILE: '/f', NODE_EXTRA_CA_CERTS: '/n', AWS_CA_BUNDLE: '/aws', ETCD_CA_FILE: '/ca', ETCD_CERT_FILE: '/c',
    ETCD_KEY_FILE: '/k', ETCD_TLS_SERVER_NAME: 'etcd', ETCD_TLS_INSECURE: 'YES', AWS_CONFIG_FILE: '/awsconfig', AWS_PROFILE: 'gov',
  });
  assert.deepEqual(all, {
    sslCertFile: '/f', nodeExtraCaCerts: '/n', etcdCaFile: '/ca', etcdCertFile: '/c', etcdKeyFile: '/k',
    etcdTlsServerName: 'etcd', etcdTlsInsecure: true,
  });
  assert.equal(readTrustEnvironment({ ETCD_TLS_INSECURE: 'no' }).etcdTlsInsecure, false);
});

test('readKubeEnvironment', () => {
  assert.deepEqual(readKubeEnvironment({ KUBECONFIG: '/k', KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', HOME: '' }),
    { kubeconfig: '/k', serviceHost: '10.0.0.1', servicePort: '443' });
  assert.deepEqual(readKubeEnvironment({}), {});
});
