/**
 * Splits a streamed body into text lines without ever decoding a partial
 * character: the network may cut a multi-byte UTF-8 character between two
 * reads, and decoding each read on its own turns both halves into U+FFFD.
 * Lines are cut at the newline byte (0x0A never occurs inside a multi-byte
 * UTF-8 sequence), and each whole line is decoded at once.
 */
export async function* utf8Lines(body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    pending = pending.length === 0 ? toBuffer(chunk) : Buffer.concat([pending, toBuffer(chunk)]);
    let start = 0;
    for (let nl = pending.indexOf(0x0a); nl >= 0; nl = pending.indexOf(0x0a, start)) {
      yield decoder.decode(pending.subarray(start, nl));
      start = nl + 1;
    }
    pending = pending.subarray(start);
  }
  // Bytes after the last newline are a line the stream was cut in: dropped, as the watch then ends
  // and resumes from the last whole event.
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
