/**
 * Error codes of the controller. Errors from the registry, provider and
 * sources pass through unchanged: their own `transient` flag decides between
 * "retry with backoff" and "stop".
 */
import { defineErrors } from '../errors/errors.ts';

export const ControllerErrors = defineErrors({
  EXTDNS_CONTROLLER_OPTIONS: {
    transient: false,
    summary: 'A controller option is out of range (interval, backoff or delete-brake values); fix the flag named in the message.',
  },
  EXTDNS_CONTROLLER_NOT_LEADER: {
    transient: true,
    summary: 'With --leader-elect, this replica does not hold the lease (or could not renew it in time), so it does not write; the leader does.',
  },
  EXTDNS_CONTROLLER_ALREADY_RUNNING: {
    transient: false,
    summary: 'The controller loop was started twice; only one loop may run per controller.',
  },
});
