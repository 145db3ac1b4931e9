import { sinkLogger, type LogEntry, type Logger } from '../../src/log/logger.ts';
import { systemClock } from '../../src/util/clock.ts';

/** A logger that keeps every entry, for assertions on what was logged. */
export function captureLogger(): { logger: Logger; entries: LogEntry[]; text: () => string } {
  const entries: LogEntry[] = [];
  const logger = sinkLogger((e) => entries.push(e), systemClock, {});
  return { logger, entries, text: () => entries.map((e) => `${e.level} ${e.msg} ${JSON.stringify(e.fields)}`).join('\n') };
}
