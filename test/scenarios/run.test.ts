/**
 * Runs every scenario in test/scenarios/*.yaml (format: harness.ts) through the
 * manifest source: Kubernetes objects in, expected endpoints and warnings out.
 * The format names no source, so api.test.ts runs the same files through the
 * API-backed sources against the real kube-apiserver (and api-faults.test.ts
 * the few it refuses through the test API server).
 *
 * Here the objects are written to a temporary folder and read by the manifest
 * source, wrapped in the source pipeline (dedup, target filter, post-process).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { createManifestSource } from '../../src/source/manifest.ts';
import { kindsOf, loadScenarioFiles, runScenario, type Scenario } from './harness.ts';

const workdir = await mkdtemp(join(tmpdir(), 'extdns-scenarios-'));
after(() => rm(workdir, { recursive: true, force: true }));

let counter = 0;
for (const { file, scenarios } of await loadScenarioFiles(import.meta.dirname)) {
  describe(file, () => {
    for (const scenario of scenarios) {
      const dir = join(workdir, String(++counter));
      test(scenario.title, async () => {
        await writeObjects(scenario, dir);
        await runScenario(scenario, (options, logger) => Promise.resolve([{
          name: 'manifest',
          source: createManifestSource({ paths: [dir], translate: options.translate, ...options.source, ...kindsOf(scenario.sources) }, { logger }),
        }]), (message) => message.replaceAll(dir + '/', ''));
      });
    }
  });
}

async function writeObjects(s: Scenario, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (s.files !== undefined) {
    for (const [name, text] of Object.entries(s.files)) await writeFile(join(dir, name), text);
  }
  if (s.objects !== undefined) {
    await writeFile(join(dir, 'objects.yaml'), s.objects.map((o) => stringify(o)).join('---\n'));
  }
}
