/**
 * The kit's rate-limit handling (src/provider/kit/throttle.ts through
 * httpExchange): a real HTTP server on loopback answers 429/503 with
 * Retry-After; the waits happen on a FakeClock, so the test reads them instead
 * of sleeping.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { httpExchange, type HttpAnswer, type HttpOptions } from '../../src/provider/kit/http.ts';
import { isThrottle, retryAfterMs } from '../../src/provider/kit/throttle.ts';
import { CallCounter } from '../../src/provider/stats.ts';
import { FakeClock } from '../support/fake-clock.ts';

interface Reply {
  status: number;
  retryAfter?: string;
}

let server: Server;
let url = '';
let replies: Reply[] = [];
let served = 0;

before(async () => {
  server = createServer((_req, res) => {
    const reply = replies[served++] ?? { status: 200 };
    res.writeHead(reply.status, reply.retryAfter === undefined ? {} : { 'retry-after': reply.retryAfter });
    res.end(reply.status === 200 ? 'ok' : 'slow down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zones`;
});

after(() => {
  server.close();
});

function options(clock: FakeClock, counter: CallCounter, throttle = true): HttpOptions {
  return {
    timeoutMs: 5_000,
    counter,
    failures: { tls: (w) => new Error(`tls ${w}`), unreachable: (w) => new Error(`unreachable ${w}`) },
    throttle: throttle ? { clock, retries: 3, maxWaitMs: 30_000 } : undefined,
  };
}

function exchange(clock: FakeClock, counter: CallCounter, throttle = true): Promise<HttpAnswer> {
  return httpExchange({ method: 'GET', url, headers: {}, signal: new AbortController().signal, what: `GET ${url}`, operation: 'listZones' },
    options(clock, counter, throttle));
}

/** Lets the exchange run (real sockets) until it parks on the clock or settles. */
async function untilParkedOrDone(clock: FakeClock, done: () => boolean): Promise<void> {
  while (clock.pending === 0 && !done()) await new Promise((resolve) => setImmediate(resolve));
}

async function run(clock: FakeClock, counter: CallCounter, throttle = true): Promise<{ answer: HttpAnswer; waits: number[] }> {
  let answer: HttpAnswer | undefined;
  const pending = exchange(clock, counter, throttle).then((a) => {
    answer = a;
  });
  const waits: number[] = [];
  for (;;) {
    await untilParkedOrDone(clock, () => answer !== undefined);
    if (answer !== undefined) break;
    const due = clock.nextDueIn ?? 0;
    waits.push(due);
    await clock.advance(due);
  }
  await pending;
  assert.ok(answer !== undefined);
  return { answer, waits };
}

function reset(next: Reply[]): void {
  replies = next;
  served = 0;
}

test('a 429 with Retry-After in seconds, then a 503 with an HTTP-date, are waited out on the clock; each throttle is counted', async () => {
  const clock = new FakeClock();
  const counter = new CallCounter(['listZones']);
  const date = new Date(clock.now() + 2_000 + 5_000).toUTCString();
  reset([{ status: 429, retryAfter: '2' }, { status: 503, retryAfter: date }, { status: 200 }]);
  const { answer, waits } = await run(clock, counter);
  assert.equal(answer.status, 200);
  assert.equal(answer.text, 'ok');
  assert.deepEqual(waits, [2_000, 5_000], 'the waits the server asked for');
  assert.equal(served, 3);
  assert.deepEqual(counter.snapshot(), { calls: [{ operation: 'listZones', calls: 3, errors: 2 }], throttles: 2 });
});

test('without Retry-After a 429 waits a doubling backoff; after the retries the 429 goes back to the provider', async () => {
  const clock = new FakeClock();
  const counter = new CallCounter(['listZones']);
  reset([{ status: 429 }, { status: 429 }, { status: 429 }, { status: 429 }, { status: 200 }]);
  const { answer, waits } = await run(clock, counter);
  assert.equal(answer.status, 429, 'three retries, then the provider decides');
  assert.deepEqual(waits, [1_000, 2_000, 4_000]);
  assert.equal(served, 4);
  assert.equal(counter.snapshot().throttles, 4);
});

test('a wait longer than the bound is not made, a 503 without Retry-After is no throttle, and no policy means no wait', async () => {
  const clock = new FakeClock();
  reset([{ status: 429, retryAfter: '3600' }]);
  let result = await run(clock, new CallCounter());
  assert.equal(result.answer.status, 429);
  assert.deepEqual(result.waits, []);
  reset([{ status: 503 }]);
  result = await run(clock, new CallCounter());
  assert.equal(result.answer.status, 503);
  assert.deepEqual(result.waits, []);
  reset([{ status: 429, retryAfter: '1' }]);
  result = await run(clock, new CallCounter(), false);
  assert.equal(result.answer.status, 429);
  assert.deepEqual(result.waits, []);
  assert.equal(served, 1);
});

test('retryAfterMs reads delay-seconds and HTTP-dates; isThrottle', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);
  assert.equal(retryAfterMs('120', now), 120_000);
  assert.equal(retryAfterMs(' 0 ', now), 0);
  assert.equal(retryAfterMs('Sat, 28 Nov 2026 12:00:30 GMT', now), 30_000);
  assert.equal(retryAfterMs('Sat, 28 Nov 2026 11:00:00 GMT', now), 0, 'a date in the past: at once');
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs(undefined, now), undefined);
  assert.equal(isThrottle(429, undefined), true);
  assert.equal(isThrottle(503, '5'), true);
  assert.equal(isThrottle(503, undefined), false);
  assert.equal(isThrottle(500, '5'), false);
});
