/**
 * Captures TSIG test vectors from BIND's own tools: for each HMAC algorithm,
 * an UPDATE sent by `nsupdate -y` and an AXFR by `dig -y`, with named's
 * signed answers (the AXFR in several messages), recorded byte for byte by a
 * relay between the tool and named. Run by hand to refresh
 * test/rfc2136/data/tsig-vectors.json:
 *   bash scripts/node-env.sh node test/rfc2136/capture-vectors.ts
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { HMAC_ALGORITHMS, startBind, TEST_ZONE, type TestKey } from '../support/dns-servers.ts';

const run = promisify(execFile);

interface Exchange { request: string; responses: string[] }

/** A TCP relay that records the DNS messages each way (two-byte length framing). */
function relay(targetPort: number): Promise<{ server: Server; port: number; exchanges: Exchange[] }> {
  const exchanges: Exchange[] = [];
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    const exchange: Exchange = { request: '', responses: [] };
    exchanges.push(exchange);
    frames(client, (m) => { exchange.request = m.toString('hex'); });
    frames(upstream, (m) => { exchange.responses.push(m.toString('hex')); });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a !== null ? a.port : 0, exchanges });
    });
  });
}

function frames(socket: NodeJS.ReadableStream, onMessage: (m: Buffer) => void): void {
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      onMessage(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      buf = buf.subarray(2 + buf.readUInt16BE(0));
    }
  });
}

const bind = await startBind({ transferMessageSize: 512 });
const vectors: unknown[] = [];
try {
  const seed = Array.from({ length: 30 }, (_, i) => `update add host${i}.${TEST_ZONE} 300 TXT "filler record ${i} to make the zone span several AXFR messages"`);
  await bind.nsupdate(seed.join('\n'));
  for (const algorithm of HMAC_ALGORITHMS) {
    const key: TestKey = bind.key(algorithm);
    const y = `${key.algorithm}:${key.name}:${key.secret}`;
    const r = await relay(bind.port);
    const input = `server 127.0.0.1 ${r.port}\nzone ${TEST_ZONE}\nupdate add v-${algorithm}.${TEST_ZONE} 60 A 192.0.2.1\nsend\n`;
    await new Promise<void>((resolve, reject) => {
      const child = execFile('nsupdate', ['-v', '-y', y], (err) => { if (err === null) resolve(); else reject(err); });
      child.stdin?.end(input);
    });
    await run('dig', ['@127.0.0.1', '-p', String(r.port), '-y', y, TEST_ZONE, 'AXFR']);
    r.server.close();
    const [update, axfr] = r.exchanges;
    vectors.push({ algorithm, keyName: key.name, secret: key.secret, update, axfr });
  }
} finally {
  await bind.stop();
}
const tool = (await run('named', ['-v'])).stdout.trim();
await writeFile(new URL('./data/tsig-vectors.json', import.meta.url),
  `${JSON.stringify({ capturedWith: `${tool}: nsupdate -v -y, dig -y AXFR (transfer-message-size 512)`, vectors }, null, 1)}\n`);
console.log(`captured ${vectors.length} algorithm(s)`);
