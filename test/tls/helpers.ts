/** Shared pieces of the TLS tests: building a store from a few options, and connecting through it. */
import { request } from 'undici';
import { request as httpsRequest } from 'node:https';
import { captureLogger } from '../support/capture-logger.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { createTrustStore, type TrustStore, type TrustStoreDeps } from '../../src/tls/store.ts';
import type { TrustSpec } from '../../src/tls/tls.ts';

export type SpecInput = Partial<TrustSpec>;

export function spec(input: SpecInput = {}): TrustSpec {
  return { name: 'test', mode: 'append', caFiles: [], env: {}, ...input };
}

/** A store that does not watch, with Node's OS store left out unless asked (tests pass explicit environments). */
export function store(input: SpecInput = {}, deps: Partial<TrustStoreDeps> = {}): TrustStore & { log: ReturnType<typeof captureLogger> } {
  const log = captureLogger();
  const s = createTrustStore(spec(input), {
    clock: new FakeClock(Date.now()), logger: log.logger, watch: false, systemCertificates: () => [], ...deps,
  });
  return Object.assign(s, { log });
}

/** 'OK' or the error code the connection failed with (undici dispatcher). */
export async function connect(s: TrustStore, url: string): Promise<string> {
  try {
    const res = await request(url, { dispatcher: s.dispatcher() });
    await res.body.text();
    return res.statusCode === 200 ? 'OK' : `HTTP ${res.statusCode}`;
  } catch (err) {
    return codeOf(err);
  }
}

/** The same through the https.Agent (what the AWS SDK's NodeHttpHandler uses). */
export function connectHttps(s: TrustStore, url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = httpsRequest(url, { agent: s.httpsAgent() }, (res) => {
      res.resume();
      res.on('end', () => { resolve(res.statusCode === 200 ? 'OK' : `HTTP ${res.statusCode}`); });
    });
    req.on('error', (err) => { resolve(codeOf(err)); });
    req.end();
  });
}

function codeOf(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code ?? String(err);
}
