/**
 * What the Cloudflare provider needs of the API, in Cloudflare's own terms
 * (v4 DNS records). ./sdk.ts implements it on the official SDK; the provider
 * logic only sees this, so the SDK is loaded only with --provider=cloudflare.
 */

export interface CfZone {
  readonly id: string;
  readonly name: string;
}

export interface CfRecord {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly content: string;
  /** 1 means automatic. */
  readonly ttl: number;
  readonly proxied?: boolean | undefined;
}

/** A record as written: name, type, content, ttl, proxied and comment. */
export interface CfRecordInput {
  name: string;
  type: string;
  content: string;
  ttl: number;
  proxied: boolean;
  comment?: string | undefined;
}

/** One atomic batch (POST /zones/{id}/dns_records/batch): Cloudflare runs deletes, patches, puts, posts in that order. */
export interface CfBatch {
  deletes: { id: string }[];
  patches: (CfRecordInput & { id: string })[];
  posts: CfRecordInput[];
}

export interface CloudflareApi {
  zones(signal: AbortSignal): Promise<CfZone[]>;
  records(zoneId: string, signal: AbortSignal): Promise<CfRecord[]>;
  /** Applies the batch whole, or answers Cloudflare's reason for rejecting its content (nothing applied). */
  batch(zoneId: string, batch: CfBatch, signal: AbortSignal): Promise<string | undefined>;
}

export function batchSize(b: CfBatch): number {
  return b.deletes.length + b.patches.length + b.posts.length;
}
