/** The JSON array an `--output=json` command printed, from output where log lines share the stream (runExtdnsInProcess's `out`). */
export function jsonArrayOf(out: string): unknown {
  const lines = out.split('\n');
  const start = lines.indexOf('[');
  const end = lines.indexOf(']', start);
  if (start < 0 || end < 0) throw new Error(`no JSON array in the output:\n${out}`);
  return JSON.parse(lines.slice(start, end + 1).join('\n'));
}
