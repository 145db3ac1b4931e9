import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utf8Lines } from './lines.ts';

async function collect(chunks: readonly Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  // An array is an (async-)iterable body too: one element per network read.
  for await (const line of utf8Lines(chunks)) out.push(line);
  return out;
}

test('a multi-byte character cut between two reads arrives whole', async () => {
  const bytes = Buffer.from('{"v":"héllo 🙂"}\n', 'utf8');
  // Every cut point, including inside the 2-byte é and the 4-byte emoji.
  for (let cut = 1; cut < bytes.length; cut++) {
    assert.deepEqual(await collect([bytes.subarray(0, cut), bytes.subarray(cut)]), ['{"v":"héllo 🙂"}'], `cut at byte ${cut}`);
  }
});

test('one byte per read and several lines per read; a last line the stream was cut in is dropped', async () => {
  const bytes = Buffer.from('ä\nöü\n\n{"cut":"日本', 'utf8');
  assert.deepEqual(await collect([...bytes].map((b) => Uint8Array.of(b))), ['ä', 'öü', '']);
  assert.deepEqual(await collect([bytes]), ['ä', 'öü', '']);
});
