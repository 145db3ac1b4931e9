/**
 * A throwaway PKI made with the openssl CLI into a temp dir, for TLS tests.
 * One per test file (about half a second): root A → intermediate A1 → leaves;
 * an unrelated root B; a CA:FALSE "issuer" under root A; a client CA and a
 * client cert. Dates are real (relative to the machine's clock) because the
 * TLS stack under test checks them against real time.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Issued {
  /** Paths of the PEM files. */
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

export interface Pki {
  readonly dir: string;
  readonly rootA: Issued;
  readonly intermediateA1: Issued;
  readonly rootB: Issued;
  /** Leaves for 127.0.0.1 / localhost under A1 unless named otherwise. */
  readonly leaf: Issued;
  readonly expired: Issued;
  readonly notYetValid: Issued;
  readonly wrongName: Issued;
  readonly selfSigned: Issued;
  /** CA:FALSE certificate signed by root A, and a leaf it "issued". */
  readonly notCa: Issued;
  readonly leafUnderNotCa: Issued;
  /** Leaf under root B directly. */
  readonly leafB: Issued;
  readonly clientCa: Issued;
  readonly client: Issued;
  /** Chains as PEM text, leaf first. */
  chain(...parts: Issued[]): string;
  /** A leaf under A1 for these subject alternative names (e.g. 'DNS:r53.proxy-only.test'). */
  issueLeaf(name: string, sans: string, options?: { alsoClientAuth?: boolean }): Promise<Issued>;
  /** Writes text to a file in the PKI dir and returns its path. */
  write(name: string, text: string): Promise<string>;
  cleanup(): Promise<void>;
}

const LOOPBACK_SAN = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid';
const LEAF_EXT = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid';

export async function createPki(): Promise<Pki> {
  const dir = await mkdtemp(join(tmpdir(), 'extdns-pki-'));
  const ca = new OpensslCa(dir);
  await ca.init();
  const day = 24 * 3600 * 1000;
  const now = Date.now();
  const rootA = await ca.selfSigned('rootA', 'extdns test root A', CA_EXT);
  const rootB = await ca.selfSigned('rootB', 'extdns test root B', CA_EXT);
  const clientCa = await ca.selfSigned('clientCa', 'extdns test client CA', CA_EXT);
  const intermediateA1 = await ca.sign({ name: 'intA1', cn: 'extdns test intermediate A1', issuer: rootA, ext: CA_EXT });
  const leafSpec = (name: string, ext = `${LEAF_EXT}\n${LOOPBACK_SAN}`) => ({ name, cn: name, issuer: intermediateA1, ext });
  const leaf = await ca.sign(leafSpec('leaf'));
  const expired = await ca.sign({ ...leafSpec('expired'), start: new Date(now - 60 * day), end: new Date(now - 2 * day) });
  const notYetValid = await ca.sign({ ...leafSpec('not-yet-valid'), start: new Date(now + 10 * day), end: new Date(now + 90 * day) });
  const wrongName = await ca.sign(leafSpec('wrong-name', `${LEAF_EXT}\nsubjectAltName=DNS:wrong.example.com`));
  const selfSigned = await ca.selfSigned('selfSigned', 'localhost', `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyCertSign\n${LOOPBACK_SAN}`);
  const notCa = await ca.sign({ name: 'notCa', cn: 'extdns test not-a-CA', issuer: rootA, ext: LEAF_EXT });
  const leafUnderNotCa = await ca.sign({ name: 'leafUnderNotCa', cn: 'leaf-under-not-ca', issuer: notCa, ext: `${LEAF_EXT}\n${LOOPBACK_SAN}` });
  const leafB = await ca.sign({ name: 'leafB', cn: 'leaf-b', issuer: rootB, ext: `${LEAF_EXT}\n${LOOPBACK_SAN}` });
  const client = await ca.sign({ name: 'client', cn: 'extdns client', issuer: clientCa,
    ext: 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth' });
  return {
    dir, rootA, intermediateA1, rootB, leaf, expired, notYetValid, wrongName, selfSigned, notCa, leafUnderNotCa, leafB, clientCa, client,
    chain: (...parts) => parts.map((p) => p.cert).join(''),
    issueLeaf: (name, sans, options) => ca.sign({
      name, cn: name, issuer: intermediateA1,
      ext: `${options?.alsoClientAuth === true ? LEAF_EXT.replace('serverAuth', 'serverAuth,clientAuth') : LEAF_EXT}\nsubjectAltName=${sans}`,
    }),
    write: async (name, text) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

interface SignSpec {
  name: string;
  cn: string;
  issuer: Issued;
  ext: string;
  start?: Date;
  end?: Date;
}

/** A minimal `openssl ca` set-up: it is the one subcommand of OpenSSL 3.0 that takes explicit start and end dates. */
class OpensslCa {
  readonly #dir: string;
  readonly #config: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.#config = join(dir, 'ca.cnf');
  }

  async init(): Promise<void> {
    await mkdir(join(this.#dir, 'newcerts'));
    await writeFile(join(this.#dir, 'index.txt'), '');
    await writeFile(join(this.#dir, 'serial'), '1000\n');
    await writeFile(this.#config, [
      '[ca]', 'default_ca = ca_default', '[ca_default]', `dir = ${this.#dir}`, 'database = $dir/index.txt',
      'new_certs_dir = $dir/newcerts', 'serial = $dir/serial', 'default_md = sha256', 'policy = policy_any',
      'unique_subject = no', 'copy_extensions = none', 'email_in_dn = no', '[policy_any]', 'commonName = supplied', '',
    ].join('\n'));
  }

  async selfSigned(name: string, cn: string, ext: string): Promise<Issued> {
    const files = this.#files(name);
    const extFile = await this.#ext(name, ext);
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', files.keyFile,
      '-out', files.certFile, '-subj', `/O=extdns tests/CN=${cn}`, '-days', '365', '-config', extFile, '-extensions', 'ext']);
    return this.#load(files);
  }

  async sign(spec: SignSpec): Promise<Issued> {
    const files = this.#files(spec.name);
    const csr = join(this.#dir, `${spec.name}.csr`);
    await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', files.keyFile,
      '-out', csr, '-subj', `/O=extdns tests/CN=${spec.cn}`]);
    const extFile = await this.#ext(spec.name, spec.ext);
    const start = spec.start ?? new Date(Date.now() - 3600 * 1000);
    const end = spec.end ?? new Date(Date.now() + 365 * 24 * 3600 * 1000);
    await run('openssl', ['ca', '-batch', '-config', this.#config, '-cert', spec.issuer.certFile, '-keyfile', spec.issuer.keyFile,
      '-in', csr, '-out', files.certFile, '-notext', '-startdate', asn1Time(start), '-enddate', asn1Time(end),
      '-extfile', extFile, '-extensions', 'ext']);
    return this.#load(files);
  }

  #files(name: string): { certFile: string; keyFile: string } {
    return { certFile: join(this.#dir, `${name}.crt`), keyFile: join(this.#dir, `${name}.key`) };
  }

  async #ext(name: string, ext: string): Promise<string> {
    const path = join(this.#dir, `${name}.ext.cnf`);
    await writeFile(path, `[req]\ndistinguished_name = dn\n[dn]\n[ext]\n${ext}\n`);
    return path;
  }

  async #load(files: { certFile: string; keyFile: string }): Promise<Issued> {
    const [cert, key] = await Promise.all([readFile(files.certFile, 'utf8'), readFile(files.keyFile, 'utf8')]);
    return { ...files, cert, key };
  }
}

function asn1Time(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}
