/**
 * One throwaway PKI and one test server for a test file: started before its
 * tests, stopped after them. The getters throw if the server did not start,
 * so a failed `before` is not mistaken for an empty server.
 */
import { after, before } from 'node:test';
import { createPki, type Pki } from './pki.ts';

export interface PkiServer<S> {
  readonly pki: Pki;
  readonly server: S;
}

export function usePkiServer<S extends { stop(): Promise<void> }>(name: string, start: (pki: Pki) => Promise<S>): PkiServer<S> {
  let pki: Pki | undefined;
  let server: S | undefined;
  before(async () => {
    pki = await createPki();
    server = await start(pki);
  });
  after(async () => {
    await server?.stop();
    await pki?.cleanup();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the ${name} test server did not start`);
    return value;
  };
  return {
    get pki() {
      return started(pki);
    },
    get server() {
      return started(server);
    },
  };
}
