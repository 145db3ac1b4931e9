/**
 * Readiness for /readyz: not ready until the first sync succeeded and every
 * registered check passes (e.g. "caches synced" from the Kubernetes sources).
 * A check returns true when ready, or a short reason when not.
 */

export type ReadinessCheck = () => true | string;

export interface ReadinessStatus {
  ready: boolean;
  /** One line per check that is not ready, naming it. */
  notReady: string[];
}

export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();
  #synced = false;

  /** Adds a named check; a name given twice replaces the earlier check. */
  add(name: string, check: ReadinessCheck): void {
    this.#checks.set(name, check);
  }

  markSynced(): void {
    this.#synced = true;
  }

  status(): ReadinessStatus {
    const notReady: string[] = [];
    if (!this.#synced) notReady.push('first-sync: no sync has succeeded yet');
    for (const [name, check] of this.#checks) {
      let result: true | string;
      try {
        result = check();
      } catch (err) {
        result = `check failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      if (result !== true) notReady.push(`${name}: ${result}`);
    }
    return { ready: notReady.length === 0, notReady };
  }
}
