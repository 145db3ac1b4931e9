/**
 * The throwaway PKI a real kube-apiserver needs, made with the openssl CLI:
 * a CA that signs the serving certificate (127.0.0.1) and the client
 * certificates (the API server trusts it as --client-ca-file), an admin
 * client certificate in the system:masters group for set-up, and the
 * service-account signing key pair.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KubePki {
  readonly caFile: string;
  readonly caPem: string;
  readonly servingCertFile: string;
  readonly servingKeyFile: string;
  readonly adminCertPem: string;
  readonly adminKeyPem: string;
  readonly saPublicKeyFile: string;
  readonly saPrivateKeyFile: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

// Each certificate gets its own serial: with -CAcreateserial the parallel signings raced on ca.srl.
const SERIALS: Readonly<Record<string, string>> = { serving: '2', admin: '3' };

async function issue(dir: string, name: string, subject: string, ext: string): Promise<void> {
  const p = (suffix: string): string => join(dir, `${name}.${suffix}`);
  await writeFile(p('ext'), `${ext}\n`);
  await run('openssl', ['req', '-new', ...EC, '-keyout', p('key'), '-out', p('csr'), '-subj', subject]);
  await run('openssl', ['x509', '-req', '-in', p('csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'),
    '-set_serial', SERIALS[name] ?? '4', '-days', '30', '-extfile', p('ext'), '-out', p('crt')]);
}

export async function createKubePki(dir: string): Promise<KubePki> {
  await run('openssl', ['req', '-x509', ...EC, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '30',
    '-subj', '/CN=extdns-test-kube-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await Promise.all([
    issue(dir, 'serving', '/CN=kube-apiserver',
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc'),
    issue(dir, 'admin', '/O=system:masters/CN=extdns-test-admin',
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth'),
    run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(dir, 'sa.key')])
      .then(() => run('openssl', ['pkey', '-in', join(dir, 'sa.key'), '-pubout', '-out', join(dir, 'sa.pub')])),
  ]);
  const read = (name: string): Promise<string> => readFile(join(dir, name), 'utf8');
  const [caPem, adminCertPem, adminKeyPem] = await Promise.all([read('ca.crt'), read('admin.crt'), read('admin.key')]);
  return {
    caFile: join(dir, 'ca.crt'), caPem, adminCertPem, adminKeyPem,
    servingCertFile: join(dir, 'serving.crt'), servingKeyFile: join(dir, 'serving.key'),
    saPublicKeyFile: join(dir, 'sa.pub'), saPrivateKeyFile: join(dir, 'sa.key'),
  };
}
