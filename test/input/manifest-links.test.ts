/**
 * Manifest files behind symbolic links (issue 12 item 10): links are followed,
 * a ConfigMap volume (links into a hidden `..data` folder) yields each file
 * once, a folder linking back up is walked once, and a link that cannot be
 * read fails the source, so the source fence keeps its records from deletion.
 * YAML alias abuse is a coded error naming the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPipeline } from '../../src/cli/build.ts';
import { listManifestFiles, loadManifests } from '../../src/source/manifest-load.ts';
import { systemClock } from '../../src/util/clock.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { seededRandom } from '../support/fake-clock.ts';
import { scratchDir } from '../support/scratch-dir.ts';
import { configFrom, SERVICE, workspace } from '../metrics/support.ts';

const scratch = (): { dir: string; done: () => void } => scratchDir('extdns-links-');

test('a ConfigMap volume layout is read once per file, under the visible name', async (t) => {
  const { dir, done } = scratch();
  t.after(done);
  const version = join(dir, '..2026_12_04_10_00_00.123');
  mkdirSync(version);
  writeFileSync(join(version, 'web.yaml'), SERVICE('web', 'web.example.org', '192.0.2.1'));
  symlinkSync('..2026_12_04_10_00_00.123', join(dir, '..data'));
  symlinkSync(join('..data', 'web.yaml'), join(dir, 'web.yaml'));
  assert.deepEqual(await listManifestFiles([dir]), [join(dir, 'web.yaml')]);
  assert.equal((await loadManifests([dir])).length, 1);
});

test('a linked file and a linked folder are followed; a folder linking back up is walked once', async (t) => {
  const { dir, done } = scratch();
  t.after(done);
  const elsewhere = join(dir, 'elsewhere');
  const root = join(dir, 'root');
  mkdirSync(join(elsewhere, 'more'), { recursive: true });
  mkdirSync(root);
  writeFileSync(join(elsewhere, 'web.yaml'), SERVICE('web', 'web.example.org', '192.0.2.1'));
  writeFileSync(join(elsewhere, 'more', 'api.yml'), SERVICE('api', 'api.example.org', '192.0.2.2'));
  symlinkSync(join(elsewhere, 'web.yaml'), join(root, 'web.yaml'));
  symlinkSync(join(elsewhere, 'more'), join(root, 'more'));
  symlinkSync('..', join(elsewhere, 'more', 'loop'));
  symlinkSync(join(dir, 'nowhere'), join(root, 'notes.txt'));
  const names = (await loadManifests([root])).map((o) => o.object.metadata.name).sort();
  assert.deepEqual(names, ['api', 'web']);
});

test('a dangling link named like a manifest fails the source, naming it', async (t) => {
  const { dir, done } = scratch();
  t.after(done);
  symlinkSync(join(dir, 'gone.yaml'), join(dir, 'web.yaml'));
  await assert.rejects(listManifestFiles([dir]), (err: Error & { code?: string }) =>
    err.code === 'EXTDNS_SOURCE_MANIFEST_UNREADABLE' && err.message.includes(join(dir, 'web.yaml')));
});

test('"billion laughs" and an unresolved alias are EXTDNS_SOURCE_MANIFEST_INVALID naming the file', async (t) => {
  const { dir, done } = scratch();
  t.after(done);
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
    const prev = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
  }
  writeFileSync(join(dir, 'laughs.yaml'), `apiVersion: v1\nkind: Service\nmetadata: {name: x}\n${levels.join('\n')}\n`);
  await assert.rejects(loadManifests([join(dir, 'laughs.yaml')]), (err: Error & { code?: string }) =>
    err.code === 'EXTDNS_SOURCE_MANIFEST_INVALID' && err.message.includes('laughs.yaml') && /billion laughs/.test(err.message));
  writeFileSync(join(dir, 'alias.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: *nope}\n');
  await assert.rejects(loadManifests([join(dir, 'alias.yaml')]), (err: Error & { code?: string }) =>
    err.code === 'EXTDNS_SOURCE_MANIFEST_INVALID' && err.message.includes('alias.yaml') && /alias \*nope without an anchor &nope/.test(err.message));
});

test('when a linked manifest becomes unreadable, the sync fails and its records are not deleted', async (t) => {
  const ws = workspace(['example.org']);
  t.after(ws.cleanup);
  const real = join(ws.dir, 'real');
  mkdirSync(real);
  writeFileSync(join(real, 'web.yaml'), SERVICE('web', 'web.example.org', '192.0.2.80'));
  symlinkSync(join(real, 'web.yaml'), join(ws.manifests, 'web.yaml'));
  writeFileSync(join(ws.manifests, 'api.yaml'), SERVICE('api', 'api.example.org', '192.0.2.81'));
  const log = captureLogger();
  const pipeline = await buildPipeline(configFrom(ws.flags('links')), { logger: log.logger, clock: systemClock, random: seededRandom(4), env: {} });
  t.after(() => pipeline.close());
  const signal = new AbortController().signal;
  await pipeline.controller.runOnce(signal);
  const zone = (): string => readFileSync(join(ws.zones, 'example.org.zone'), 'utf8');
  assert.match(zone(), /^web\s.*192\.0\.2\.80$/m, 'the record of the linked file was created');
  assert.match(zone(), /^api\s.*192\.0\.2\.81$/m);
  rmSync(join(real, 'web.yaml'));
  const before = zone();
  // A transient source failure (a ConfigMap swapping its links looks the same): logged, retried, nothing deleted.
  await pipeline.controller.runOnce(signal).catch(() => undefined);
  assert.match(log.text(), /EXTDNS_SOURCE_MANIFEST_UNREADABLE|cannot read manifest path .*web\.yaml/);
  assert.equal(zone(), before, 'nothing was deleted while the source could not be read');
});
