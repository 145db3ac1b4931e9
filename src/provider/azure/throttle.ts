/**
 * How long a throttled (429) Resource Manager request waits before its
 * retry, read as azcore's shared.RetryAfter reads it: retry-after-ms, then
 * x-ms-retry-after-ms (milliseconds), then Retry-After (seconds or an HTTP
 * date); without any, azcore's exponential delay (800 ms doubled per try,
 * without jitter: extdns injects its randomness and needs none here).
 */
export const RETRY_AFTER_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms', 'retry-after'] as const;

const BASE_DELAY_MS = 800;

export function throttleDelayMs(header: (name: string) => string | undefined, retry: number, now: number): number {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(header(name));
    if (Number.isFinite(ms) && ms > 0) return ms;
  }
  const after = header('retry-after');
  if (after !== undefined) {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date) && date > now) return date - now;
  }
  return BASE_DELAY_MS * 2 ** (retry - 1);
}
