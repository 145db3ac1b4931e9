/**
 * The standard process_* metrics (as the Go client's process collector names
 * them), so dashboards that chart ExternalDNS's CPU, memory and file
 * descriptors keep working, plus Node's heap in place of go_memstats_*.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Clock } from '../util/clock.ts';
import type { MetricsRegistry } from './prometheus.ts';

export function defineProcessMetrics(registry: MetricsRegistry, clock: Clock): void {
  const startSeconds = Math.round(clock.now() / 1000 - process.uptime());
  registry.collected('counter', { name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.' }, () => {
    const u = process.cpuUsage();
    return [{ labels: {}, value: (u.user + u.system) / 1e6 }];
  });
  registry.collected('gauge', { name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.' },
    () => [{ labels: {}, value: process.memoryUsage.rss() }]);
  registry.collected('gauge', { name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.' },
    () => [{ labels: {}, value: startSeconds }]);
  registry.collected('gauge', { name: 'process_open_fds', help: 'Number of open file descriptors.' }, () => {
    const n = openFds();
    return n === undefined ? [] : [{ labels: {}, value: n }];
  });
  registry.collected('gauge', { name: 'process_max_fds', help: 'Maximum number of open file descriptors.' }, () => {
    const n = maxFds();
    return n === undefined ? [] : [{ labels: {}, value: n }];
  });
  registry.collected('gauge', { name: 'nodejs_heap_size_used_bytes', help: 'V8 heap in use, in bytes.' },
    () => [{ labels: {}, value: process.memoryUsage().heapUsed }]);
}

/** Linux only (/proc); elsewhere the metric is left out. */
function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

function maxFds(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    const n = Number(soft);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}
