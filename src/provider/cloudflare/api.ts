/**
 * What the Cloudflare provider needs of the API, in Cloudflare's own terms
 * (v4 DNS records, custom hostnames, regional hostnames). ./sdk.ts implements
 * it on the official SDK; the provider logic only sees this, so the SDK is
 * loaded only with --provider=cloudflare.
 */

export interface CfZone {
  readonly id: string;
  readonly name: string;
  /** A paid plan: record comments may hold 500 characters instead of 100. */
  readonly paid: boolean;
}

/** Structured record data (SRV: priority, weight, port, target; CAA: flags, tag, value). */
export type CfRecordData = Readonly<Record<string, string | number>>;

export interface CfRecord {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly content: string;
  /** MX preference. */
  readonly priority?: number | undefined;
  readonly data?: CfRecordData | undefined;
  /** 1 means automatic. */
  readonly ttl: number;
  readonly proxied?: boolean | undefined;
  readonly comment?: string | undefined;
  readonly tags?: readonly string[] | undefined;
}

/** A record as written. Comment and tags are always sent, so that a cleared one is cleared. */
export interface CfRecordInput {
  name: string;
  type: string;
  content?: string | undefined;
  priority?: number | undefined;
  data?: CfRecordData | undefined;
  ttl: number;
  proxied: boolean;
  comment: string;
  tags: string[];
}

/** One atomic batch (POST /zones/{id}/dns_records/batch): Cloudflare runs deletes, patches, puts, posts in that order. */
export interface CfBatch {
  deletes: { id: string }[];
  patches: (CfRecordInput & { id: string })[];
  posts: CfRecordInput[];
}

/** A Cloudflare for SaaS custom hostname and the record name it is served from. */
export interface CfCustomHostname {
  readonly id: string;
  readonly hostname: string;
  readonly origin: string;
}

/** What a new custom hostname asks for (ExternalDNS: DV certificate, HTTP validation, ubiquitous bundle). */
export interface CfCustomHostnameInput {
  hostname: string;
  origin: string;
  minTlsVersion: string;
  /** Omitted when 'none'. */
  certificateAuthority?: string | undefined;
}

/** A Regional Services hostname: the region whose data centres alone serve it. */
export interface CfRegionalHostname {
  readonly hostname: string;
  readonly regionKey: string;
}

export interface CloudflareApi {
  zones(signal: AbortSignal): Promise<CfZone[]>;
  records(zoneId: string, signal: AbortSignal): Promise<CfRecord[]>;
  /** Applies the batch whole, or answers Cloudflare's reason for rejecting its content (nothing applied). */
  batch(zoneId: string, batch: CfBatch, signal: AbortSignal): Promise<string | undefined>;
  customHostnames(zoneId: string, signal: AbortSignal): Promise<CfCustomHostname[]>;
  /** Each write answers Cloudflare's reason when it refuses the content, undefined when applied. */
  createCustomHostname(zoneId: string, input: CfCustomHostnameInput, signal: AbortSignal): Promise<string | undefined>;
  deleteCustomHostname(zoneId: string, id: string, signal: AbortSignal): Promise<string | undefined>;
  regionalHostnames(zoneId: string, signal: AbortSignal): Promise<CfRegionalHostname[]>;
  createRegionalHostname(zoneId: string, rh: CfRegionalHostname, signal: AbortSignal): Promise<string | undefined>;
  editRegionalHostname(zoneId: string, rh: CfRegionalHostname, signal: AbortSignal): Promise<string | undefined>;
  deleteRegionalHostname(zoneId: string, hostname: string, signal: AbortSignal): Promise<string | undefined>;
}

export function batchSize(b: CfBatch): number {
  return b.deletes.length + b.patches.length + b.posts.length;
}
