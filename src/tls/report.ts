/** The start-up report: one log entry per connection, and the `extdns trust` table. */
import type { LogFields } from '../log/logger.ts';
import type { CertSummary, SourceReport, TrustReport } from './tls.ts';

export function describeSource(s: SourceReport): string {
  const where = s.paths.length === 0 ? '' : `=${s.paths.join(',')}`;
  const note = s.note === undefined ? '' : `, ${s.note}`;
  return `${s.kind} ${s.name}${where} (${s.count} ${s.count === 1 ? 'cert' : 'certs'}${note})`;
}

export function describeCert(c: CertSummary): string {
  return `subject="${c.subject}" issuer="${c.issuer}" sha256=${c.fingerprint256} expires=${c.notAfter} (${c.daysLeft} days)`;
}

/** Fields of the one `tls trust` log entry of a connection. */
export function reportLogFields(r: TrustReport): LogFields {
  const explicit = r.sources.flatMap((s) => s.certificates ?? []);
  return {
    connection: r.name,
    ...(r.endpoint === undefined ? {} : { endpoint: r.endpoint }),
    ...(r.proxy === undefined ? {} : { proxy: r.proxy }),
    mode: r.mode,
    sources: `[${r.sources.map(describeSource).join('; ')}]`,
    total: r.total,
    ...(explicit.length === 0 ? {} : { certificates: explicit.map(describeCert) }),
    ...(r.clientCert === undefined ? {} : { clientCert: `${r.clientCert.source}: ${describeCert(r.clientCert.certificate)}` }),
    ...(r.skipVerify === undefined ? {} : { skipVerify: r.skipVerify }),
    ...(r.credential === undefined ? {} : { credential: r.credential }),
  };
}

/** Human-readable block for `extdns trust`. */
export function renderReportTable(reports: readonly TrustReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${r.name}${r.endpoint === undefined ? '' : ` → ${r.endpoint}`}`);
    out.push(`  mode: ${r.mode}    trusted certificates: ${r.total}${r.skipVerify === undefined ? '' : `    VERIFICATION OFF (${r.skipVerify})`}`);
    if (r.proxy !== undefined) out.push(`  route: ${r.proxy}`);
    if (r.credential !== undefined) out.push(`  client credential: ${r.credential}`);
    out.push(table(['SOURCE', 'KIND', 'PATH', 'CERTS', 'NOTE'],
      r.sources.map((s) => [s.name, s.kind, s.paths.join(', ') || '-', String(s.count), s.note ?? ''])).map((l) => `  ${l}`).join('\n'));
    const certs = r.sources.flatMap((s) => s.certificates ?? []);
    if (r.clientCert !== undefined) certs.push(r.clientCert.certificate);
    if (certs.length > 0) {
      out.push('  explicit certificates:');
      out.push(table(['SUBJECT', 'ISSUER', 'SHA-256', 'EXPIRES', 'DAYS LEFT'],
        certs.map((c) => [c.subject, c.issuer, c.fingerprint256, c.notAfter, String(c.daysLeft)])).map((l) => `    ${l}`).join('\n'));
    }
    for (const w of r.warnings) out.push(`  warning: ${w}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
