/**
 * What /status.json and /status show: the shape of one snapshot of the
 * running controller. Built by ./tracker.ts from the controller's observer
 * callbacks and, at each request, from the trust stores, the leader and the
 * provider's call counts. Every text in it that could come from an error or a
 * URL has passed redactUrls: no secret ever reaches the page.
 */

export interface ZoneStatus {
  zone: string;
  /** Names whose ownership TXT carries this owner id. */
  owned: number;
  /** Names owned by another owner id. */
  foreign: number;
  /** Names with no ownership record. */
  unmanaged: number;
  /** The owned names, sorted (capped at OWNED_NAMES_SHOWN; ownedNamesOmitted says how many more). */
  ownedNames: string[];
  ownedNamesOmitted: number;
}

export interface SyncStatus {
  /** RFC 3339, when the sync started. */
  time: string;
  result: 'ok' | 'error';
  durationSeconds: number;
  creates: number;
  updates: number;
  deletes: number;
  /** The failure, URLs redacted; absent on success. */
  error?: string;
  /** Which step failed (registry, source, plan, apply). */
  stage?: string;
}

export interface PendingStatus {
  /** The plan of the last sync before the guards (what it wanted to change). */
  creates: number;
  updates: number;
  deletes: number;
  /** Creates skipped because another owner holds the name. */
  ownerMismatches: number;
}

export interface HeldDeletesStatus {
  count: number;
  limit: number;
  owned: number;
  names: string[];
  since: string;
  releaseAt: string;
  /** How to let them go now. */
  release: string;
}

export interface FenceStatus {
  /** True when the last sync dropped its deletes because a source failed. */
  active: boolean;
  failedSources: string[];
  fencedDeletes: number;
}

export interface CertificateStatus {
  subject: string;
  source: string;
  role: 'ca' | 'client';
  notAfter: string;
  daysToExpiry: number;
  /** Set under 30 days (or expired). */
  warning?: string;
}

export interface ConnectionStatus {
  name: string;
  endpoint?: string;
  mode: string;
  trustedCertificates: number;
  certificates: CertificateStatus[];
  warnings: string[];
}

export interface LeaderStatus {
  /** --leader-elect. */
  election: boolean;
  /** Without election this replica always writes. */
  leading: boolean;
}

export interface ProviderCallStatus {
  operation: string;
  calls: number;
  errors: number;
}

export interface StatusSnapshot {
  /** RFC 3339, when this snapshot was taken. */
  generatedAt: string;
  version: string;
  ownerId: string;
  provider: string;
  policy: string;
  dryRun: boolean;
  zones: ZoneStatus[];
  lastSync: SyncStatus | null;
  /** The last syncs, newest first. */
  recentSyncs: SyncStatus[];
  pending: PendingStatus | null;
  heldDeletes: HeldDeletesStatus | null;
  sourceFence: FenceStatus;
  connections: ConnectionStatus[];
  leader: LeaderStatus;
  providerApi: { calls: ProviderCallStatus[]; throttles: number } | null;
}

export const OWNED_NAMES_SHOWN = 500;
export const RECENT_SYNCS_KEPT = 10;
export const EXPIRY_WARNING_DAYS = 30;
