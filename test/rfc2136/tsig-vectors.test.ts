/**
 * TSIG against vectors captured from BIND's own tools (capture-vectors.ts):
 * extdns re-signs nsupdate's and dig's requests to the same bytes, and
 * verifies named's signed answers, every message of a multi-message AXFR.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { signMessage, splitTsig, tsigKey, TsigVerifier } from '../../src/provider/rfc2136/tsig.ts';

interface Vector {
  algorithm: string;
  keyName: string;
  secret: string;
  update: { request: string; responses: string[] };
  axfr: { request: string; responses: string[] };
}

const data = JSON.parse(readFileSync(new URL('./data/tsig-vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] };
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

function requestParts(requestHex: string): { covered: Buffer; time: number; fudge: number; mac: Buffer } {
  const split = splitTsig(hex(requestHex));
  assert.ok(split !== undefined, 'the captured request carries a TSIG record');
  return { covered: split.covered, time: split.tsig.timeSigned, fudge: split.tsig.fudge, mac: split.tsig.mac };
}

test('the vectors cover every algorithm, and the AXFR spans several messages', () => {
  assert.deepEqual(data.vectors.map((v) => v.algorithm), ['hmac-md5', 'hmac-sha1', 'hmac-sha224', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512']);
  for (const v of data.vectors) assert.ok(v.axfr.responses.length > 3, `${v.algorithm}: ${v.axfr.responses.length} messages`);
});

for (const v of data.vectors) {
  const key = tsigKey(v.keyName, v.algorithm, v.secret);
  for (const kind of ['update', 'axfr'] as const) {
    test(`${v.algorithm} ${kind}: signing the tool's request again gives its exact bytes`, () => {
      const req = requestParts(v[kind].request);
      const signed = signMessage(req.covered, key, { time: req.time, fudge: req.fudge });
      assert.equal(signed.message.toString('hex'), v[kind].request);
      assert.deepEqual(signed.mac, req.mac);
    });

    test(`${v.algorithm} ${kind}: named's answer verifies, message by message`, () => {
      const req = requestParts(v[kind].request);
      const answers = v[kind].responses.map(hex);
      const signedAt = splitTsig(answers[0] ?? Buffer.alloc(0))?.tsig.timeSigned ?? 0;
      const verifier = new TsigVerifier(key, req.mac, () => signedAt, 'named');
      for (const a of answers) verifier.accept(a);
      verifier.finish();
    });
  }

  test(`${v.algorithm}: a changed byte, a wrong secret, a missing message, a skewed clock are each refused`, () => {
    const req = requestParts(v.axfr.request);
    const answers = v.axfr.responses.map(hex);
    const signedAt = splitTsig(answers[0] ?? Buffer.alloc(0))?.tsig.timeSigned ?? 0;
    const tampered = answers.map((a, i) => {
      if (i !== 1) return a;
      const copy = Buffer.from(a);
      copy[20] = (copy[20] ?? 0) ^ 1;
      return copy;
    });
    const wrongKey = tsigKey(v.keyName, v.algorithm, Buffer.alloc(32, 7).toString('base64'));
    const cases: [string, TsigVerifier, Buffer[], RegExp][] = [
      ['tampered', new TsigVerifier(key, req.mac, () => signedAt, 'named'), tampered, /does not verify/],
      ['wrong secret', new TsigVerifier(wrongKey, req.mac, () => signedAt, 'named'), answers, /does not verify/],
      ['message dropped', new TsigVerifier(key, req.mac, () => signedAt, 'named'), [answers[0] ?? Buffer.alloc(0), ...answers.slice(2)], /does not verify/],
      ['clock skew', new TsigVerifier(key, req.mac, () => signedAt + 301, 'named'), answers, /BADTIME/],
      ['other request', new TsigVerifier(key, Buffer.alloc(req.mac.length), () => signedAt, 'named'), answers, /does not verify/],
    ];
    for (const [name, verifier, messages, expected] of cases) {
      assert.throws(() => { for (const m of messages) verifier.accept(m); }, (err: Error & { code?: string }) => {
        assert.equal(err.code, 'EXTDNS_RFC2136_TSIG', name);
        assert.match(err.message, expected, name);
        return true;
      });
    }
  });
}

test('key flags: unknown algorithm, empty name, non-base64 secret are configuration errors naming the flag', () => {
  assert.throws(() => tsigKey('k', 'hmac-sha3', 'AAAA'), /--rfc2136-tsig-secret-alg="hmac-sha3" is not a TSIG algorithm/);
  assert.throws(() => tsigKey(' ', 'hmac-sha256', 'AAAA'), /--rfc2136-tsig-keyname is empty/);
  assert.throws(() => tsigKey('k', 'hmac-sha256', 'not base64!'), /--rfc2136-tsig-secret is not base64/);
  assert.equal(tsigKey('k.', 'HMAC-MD5.SIG-ALG.REG.INT.', 'AAAA').algorithm, 'hmac-md5');
});
