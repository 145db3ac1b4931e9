/**
 * How long a throttled (429) Resource Manager request waits before its
 * retry, read as azcore's shared.RetryAfter reads it: retry-after-ms, then
 * x-ms-retry-after-ms (milliseconds), then Retry-After (seconds or an HTTP
 * date); without any, azcore's exponential delay (800 ms doubled per try,
 * without jitter: extdns injects its randomness and needs none here).
 *
 * Not the kit's throttle (../kit/throttle.ts), on purpose: the Azure SDK
 * must see what azcore would do, and azcore differs from the kit on each
 * point: it reads the two millisecond headers first, falls back to 800 ms
 * doubling (the kit: 1 s), treats a past HTTP-date as no header (the kit: wait
 * 0), takes its retry count from --azure-maxretries-count and waits up to
 * MaxRetryDelay (60 s). The kit's HTTP layer still sends and counts each try
 * (./http-client.ts calls httpExchange without a throttle policy).
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
