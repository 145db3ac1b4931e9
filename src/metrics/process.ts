/**
 * The standard process_* metrics (as the Go client's process collector names
 * them), so dashboards that chart ExternalDNS's CPU, memory and file
 * descriptors keep working (all nine of client_golang's Linux collector, read
 * from /proc as it does), plus Node's heap in place of go_memstats_*.
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
  registry.collected('gauge', { name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.' }, () => {
    const n = virtualMemoryBytes();
    return n === undefined ? [] : [{ labels: {}, value: n }];
  });
  registry.collected('gauge', { name: 'process_virtual_memory_max_bytes', help: 'Maximum amount of virtual memory available in bytes.' }, () => {
    const n = limit('Max address space');
    return n === undefined ? [] : [{ labels: {}, value: n }];
  });
  registry.collected('counter', { name: 'process_network_receive_bytes_total', help: 'Number of bytes received by the process over the network.' }, () => {
    const n = ipExt('InOctets');
    return n === undefined ? [] : [{ labels: {}, value: n }];
  });
  registry.collected('counter', { name: 'process_network_transmit_bytes_total', help: 'Number of bytes sent by the process over the network.' }, () => {
    const n = ipExt('OutOctets');
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
  return limit('Max open files');
}

/** A soft limit of /proc/self/limits; "unlimited" is reported as procfs does (the largest uint64). */
function limit(name: string): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith(name));
    const soft = line?.slice(name.length).trim().split(/\s+/)[0];
    if (soft === 'unlimited') return 2 ** 64;
    const n = Number(soft);
    return soft !== undefined && soft !== '' && Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** vsize, field 23 of /proc/self/stat (counted after the parenthesised command name). */
function virtualMemoryBytes(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const n = Number(fields[20]);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** A counter of the IpExt lines of /proc/self/net/netstat (the network namespace's, as Go's collector reads it). */
function ipExt(key: string): number | undefined {
  try {
    const lines = readFileSync('/proc/self/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('IpExt:'));
    const names = lines[0]?.split(/\s+/) ?? [];
    const values = lines[1]?.split(/\s+/) ?? [];
    const n = Number(values[names.indexOf(key)]);
    return names.includes(key) && Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}
