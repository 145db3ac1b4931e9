import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtdnsError } from '../errors/errors.ts';
import { microTime, validateLeaderElection } from './leader.ts';

test('the three durations must nest: lease duration > renew deadline > 1.2 x retry period', () => {
  validateLeaderElection({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
  const refused = (o: Parameters<typeof validateLeaderElection>[0]): string => {
    try {
      validateLeaderElection(o);
    } catch (err) {
      assert.ok(ExtdnsError.is(err));
      return err.message;
    }
    return assert.fail('accepted');
  };
  assert.match(refused({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }), /lease-duration must be longer/);
  assert.match(refused({ leaseDurationMs: 15_000, renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }), /renew-deadline must be more than 1.2 x/);
  assert.match(refused({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 0 }), /retry-period must be positive/);
});

test('Lease times are Kubernetes MicroTime (microseconds, UTC)', () => {
  assert.equal(microTime(Date.UTC(2026, 10, 29, 2, 0, 0, 7)), '2026-11-29T02:00:00.007000Z');
});
