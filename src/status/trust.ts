/**
 * A connection's trust as /status shows it: the explicitly configured CA and
 * client certificates with their days to expiry, a warning under 30 days.
 * Subjects and file sources only: never a key, never a credential.
 */
import type { CertSummary, TrustReport } from '../tls/tls.ts';
import { redactUrls } from '../util/url-secrets.ts';
import { EXPIRY_WARNING_DAYS, type CertificateStatus, type ConnectionStatus } from './status.ts';

const DAY_MS = 86_400_000;

export function connectionStatus(report: TrustReport, now: number): ConnectionStatus {
  const certificates: CertificateStatus[] = [];
  for (const source of report.sources) {
    for (const cert of source.certificates ?? []) certificates.push(certificateStatus(cert, source.name, 'ca', now));
  }
  if (report.clientCert !== undefined) certificates.push(certificateStatus(report.clientCert.certificate, report.clientCert.source, 'client', now));
  certificates.sort((a, b) => a.daysToExpiry - b.daysToExpiry);
  return {
    name: report.name,
    ...(report.endpoint === undefined ? {} : { endpoint: redactUrls(report.endpoint) }),
    mode: report.mode,
    trustedCertificates: report.total,
    certificates,
    warnings: report.warnings.map(redactUrls),
  };
}

function certificateStatus(cert: CertSummary, source: string, role: 'ca' | 'client', now: number): CertificateStatus {
  const days = Math.floor((Date.parse(cert.notAfter) - now) / DAY_MS);
  const status: CertificateStatus = { subject: cert.subject, source, role, notAfter: new Date(cert.notAfter).toISOString(), daysToExpiry: days };
  if (days < 0) status.warning = `expired ${-days} days ago: replace it`;
  else if (days < EXPIRY_WARNING_DAYS) status.warning = `expires in ${days} days: renew it before then`;
  return status;
}
