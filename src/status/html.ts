/**
 * /status: one server-rendered HTML page, no scripts, fonts or images from
 * elsewhere (clusters are often air-gapped). It refreshes itself every
 * REFRESH_SECONDS, and its tables scroll sideways on a narrow screen instead
 * of widening the page. Every value is escaped.
 */
import type { ConnectionStatus, StatusSnapshot, SyncStatus, ZoneStatus } from './status.ts';

export const REFRESH_SECONDS = 15;

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1rem;color:#1b1f24;background:#f6f7f9}
main{max-width:72rem;margin:0 auto}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .4rem}
.meta{color:#57606a;margin:0 0 1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.6rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.6rem .8rem}
.card b{display:block;font-size:1.35rem}
.scroll{overflow-x:auto;background:#fff;border:1px solid #d0d7de;border-radius:6px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eaeef2;white-space:nowrap}
th{background:#f0f2f5;font-weight:600}
.ok{color:#1a7f37}.error,.warn{color:#b35900}.error{color:#cf222e}
.note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.6rem .8rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
`;

export function renderStatusPage(s: StatusSnapshot): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>extdns status: ${esc(s.ownerId)}</title>
<style>${STYLE}</style>
</head>
<body><main>
<h1>extdns status</h1>
<p class="meta">owner id <code>${esc(s.ownerId)}</code> · provider ${esc(s.provider)} · policy ${esc(s.policy)}${s.dryRun ? ' · dry run' : ''} · ${leader(s)} · extdns ${esc(s.version)} · ${esc(s.generatedAt)} (refreshes every ${REFRESH_SECONDS}s)</p>
${overview(s)}
${held(s)}
${fence(s)}
<h2>Zones</h2>
${s.zones.length === 0 ? '<p>No records read yet.</p>' : s.zones.map(zone).join('\n')}
<h2>Last syncs</h2>
${syncs(s.recentSyncs)}
<h2>Certificates</h2>
${certificates(s.connections)}
<h2>Provider API calls</h2>
${apiCalls(s)}
</main></body>
</html>
`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function leader(s: StatusSnapshot): string {
  if (!s.leader.election) return 'single replica';
  return s.leader.leading ? 'leader' : 'standby (not the leader)';
}

function card(label: string, value: string, cls = ''): string {
  return `<div class="card">${esc(label)}<b class="${cls}">${esc(value)}</b></div>`;
}

function overview(s: StatusSnapshot): string {
  const last = s.lastSync;
  const sum = (k: 'owned' | 'foreign' | 'unmanaged'): number => s.zones.reduce((n, z) => n + z[k], 0);
  const pending = s.pending === null ? '–' : `${s.pending.creates}/${s.pending.updates}/${s.pending.deletes}`;
  return `<div class="cards">
${card('last sync', last === null ? 'not yet' : last.result, last === null ? '' : last.result === 'ok' ? 'ok' : 'error')}
${card('owned names', String(sum('owned')))}
${card('foreign names', String(sum('foreign')))}
${card('unmanaged names', String(sum('unmanaged')))}
${card('pending create/update/delete', pending)}
${card('held deletes', String(s.heldDeletes?.count ?? 0), s.heldDeletes === null ? '' : 'warn')}
</div>`;
}

function held(s: StatusSnapshot): string {
  const h = s.heldDeletes;
  if (h === null) return '';
  return `<h2>Held deletes</h2>
<div class="note"><p>The delete brake holds <b>${h.count}</b> deletes (limit ${h.limit} of ${h.owned} owned records) since ${esc(h.since)}; release at ${esc(h.releaseAt)}.</p>
<p>${esc(h.release)}.</p>
<p>${h.names.map((n) => `<code>${esc(n)}</code>`).join(', ')}${h.count > h.names.length ? ', …' : ''}</p></div>`;
}

function fence(s: StatusSnapshot): string {
  const f = s.sourceFence;
  if (!f.active) return '';
  return `<h2>Source fence</h2>
<div class="note">Sources failed (${f.failedSources.map((n) => `<code>${esc(n)}</code>`).join(', ')}): ${f.fencedDeletes} deletes are held until every source answers.</div>`;
}

function table(header: readonly string[], rows: readonly string[][]): string {
  const head = `<tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  return `<div class="scroll"><table>${head}${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table></div>`;
}

function zone(z: ZoneStatus): string {
  const names = z.ownedNames.map((n) => [`<code>${esc(n)}</code>`]);
  if (z.ownedNamesOmitted > 0) names.push([`and ${z.ownedNamesOmitted} more`]);
  return `<h3>${esc(z.zone)}</h3>
<p>${z.owned} owned · ${z.foreign} owned by others · ${z.unmanaged} unmanaged</p>
${names.length === 0 ? '' : table(['owned name'], names)}`;
}

function syncs(list: readonly SyncStatus[]): string {
  if (list.length === 0) return '<p>No sync has finished yet.</p>';
  return table(['time', 'result', 'seconds', 'creates', 'updates', 'deletes', 'error'], list.map((s) => [
    esc(s.time), `<span class="${s.result === 'ok' ? 'ok' : 'error'}">${s.result}</span>`, s.durationSeconds.toFixed(2),
    String(s.creates), String(s.updates), String(s.deletes), esc(s.error === undefined ? '' : `${s.stage ?? ''}: ${s.error}`),
  ]));
}

function certificates(connections: readonly ConnectionStatus[]): string {
  const rows = connections.flatMap((c) => c.certificates.map((cert) => [
    esc(c.name), esc(cert.role), esc(cert.subject), esc(cert.notAfter),
    `<span class="${cert.warning === undefined ? 'ok' : 'warn'}">${cert.daysToExpiry}</span>`, esc(cert.warning ?? ''),
  ]));
  if (rows.length === 0) {
    const names = connections.map((c) => `${c.name}: ${c.trustedCertificates} system and bundled roots`).join('; ');
    return `<p>No CA or client certificate configured explicitly${names === '' ? '' : ` (${esc(names)})`}.</p>`;
  }
  return table(['connection', 'role', 'subject', 'expires', 'days left', 'warning'], rows);
}

function apiCalls(s: StatusSnapshot): string {
  const api = s.providerApi;
  if (api === null) return '<p>This provider does not count its API calls.</p>';
  const rows = api.calls.map((c) => [esc(c.operation), String(c.calls), String(c.errors)]);
  return `${table(['operation', 'calls', 'errors'], rows)}<p>${api.throttles} throttled</p>`;
}
