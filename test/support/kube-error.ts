/** For tests of src/kube against either API server: the coded error a call must fail with. */
import assert from 'node:assert/strict';
import { KubeApiError } from '../../src/kube/api-error.ts';

/** Awaits `p`, which must reject with a KubeApiError, and returns that error. */
export async function rejectsWithKubeError(p: Promise<unknown>): Promise<KubeApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(KubeApiError.isKube(err), `expected a KubeApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}
