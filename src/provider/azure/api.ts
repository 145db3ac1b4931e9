/**
 * What the Azure provider needs of an SDK: Azure DNS (@azure/arm-dns) and
 * Azure Private DNS (@azure/arm-privatedns) each implement it in ./sdk.ts,
 * which is loaded only when one of the two providers is chosen.
 */
import type { AzureRecordSet } from './mapping.ts';

export interface WriteCondition {
  /** The ETag the record set had when read: the write fails (412) if it changed since. */
  ifMatch?: string | undefined;
  /** `*` for a create: the write fails (412) if the record set appeared since. */
  ifNoneMatch?: string | undefined;
}

export interface AzureZone {
  name: string;
  /** The ARM resource ID (what --zone-id-filter matches). */
  id: string;
}

/** One record set's address in a zone. */
export interface RecordSetRef {
  zone: string;
  relativeName: string;
  type: string;
}

export interface AzureDnsApi {
  /** `dns` or `private-dns`, for messages. */
  readonly flavour: string;
  /** Zones of the resource group (every page, through nextLink). */
  listZones(signal: AbortSignal): Promise<AzureZone[]>;
  /** Every record set of a zone (every page, through nextLink). */
  listRecordSets(zone: string, signal: AbortSignal): Promise<AzureRecordSet[]>;
  /** PUT one record set; answers its new ETag. */
  putRecordSet(ref: RecordSetRef, set: AzureRecordSet, condition: WriteCondition, signal: AbortSignal): Promise<string | undefined>;
  deleteRecordSet(ref: RecordSetRef, condition: WriteCondition, signal: AbortSignal): Promise<void>;
}
