/**
 * The ExternalDNS webhook JSON form of endpoints and change sets.
 *
 * Output is what Go's `encoding/json` writes for `endpoint.Endpoint` and
 * `plan.Changes`: keys in struct order (dnsName, targets, recordType,
 * setIdentifier, recordTTL, labels, providerSpecific), every empty or zero
 * field omitted, label keys sorted (Go sorts map keys).
 *
 * Input is read as leniently as Go reads it: every key optional, `null` as
 * the zero value, unknown keys ignored, keys matched case-insensitively
 * (`Create`, `DNSName`) as encoding/json matches them; a value of the wrong type is an
 * ExtdnsError naming its path (`create[3].recordTTL`).
 */
import { ExtdnsError } from '../errors/errors.ts';
import type { Changes } from '../plan/plan.ts';
import type { Endpoint, ProviderSpecificProperty } from './endpoint.ts';
import { EndpointErrors } from './errors.ts';
import { fieldSet, goFields, readArray, readInteger, readObject, readString, readStringMap, stringItem, type JsonObject } from './json-read.ts';

export interface ProviderSpecificWire {
  name?: string;
  value?: string;
}

export interface EndpointWire {
  dnsName?: string;
  targets?: string[];
  recordType?: string;
  setIdentifier?: string;
  recordTTL?: number;
  labels?: Record<string, string>;
  providerSpecific?: ProviderSpecificWire[];
}

export interface ChangesWire {
  create?: EndpointWire[];
  updateOld?: EndpointWire[];
  updateNew?: EndpointWire[];
  delete?: EndpointWire[];
}

function propertyToWire(p: ProviderSpecificProperty): ProviderSpecificWire {
  const out: ProviderSpecificWire = {};
  if (p.name !== '') out.name = p.name;
  if (p.value !== '') out.value = p.value;
  return out;
}

function sortedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) out[key] = labels[key] ?? '';
  return out;
}

/** The JSON object ExternalDNS would send for `ep` (empty fields omitted, Go key order). */
export function endpointToWire(ep: Endpoint): EndpointWire {
  const out: EndpointWire = {};
  if (ep.dnsName !== '') out.dnsName = ep.dnsName;
  if (ep.targets.length > 0) out.targets = [...ep.targets];
  if (ep.recordType !== '') out.recordType = ep.recordType;
  if (ep.setIdentifier !== '') out.setIdentifier = ep.setIdentifier;
  if (ep.recordTTL !== 0) out.recordTTL = ep.recordTTL;
  if (Object.keys(ep.labels).length > 0) out.labels = sortedLabels(ep.labels);
  if (ep.providerSpecific.length > 0) out.providerSpecific = ep.providerSpecific.map(propertyToWire);
  return out;
}

const PROPERTY_FIELDS = fieldSet(['name', 'value']);
const ENDPOINT_FIELDS = fieldSet(['dnsName', 'targets', 'recordType', 'setIdentifier', 'recordTTL', 'labels', 'providerSpecific']);

function propertyFromWire(value: unknown, path: string): ProviderSpecificProperty {
  const obj = goFields(readObject(value, path), PROPERTY_FIELDS, path);
  return { name: readString(obj, 'name', path), value: readString(obj, 'value', path) };
}

/** Reads one endpoint; `path` names it in errors (e.g. `create[3]`). */
export function endpointFromWire(value: unknown, path = 'endpoint'): Endpoint {
  const obj = goFields(readObject(value, path), ENDPOINT_FIELDS, path);
  return {
    dnsName: readString(obj, 'dnsName', path),
    targets: readArray(obj, 'targets', path, stringItem),
    recordType: readString(obj, 'recordType', path),
    setIdentifier: readString(obj, 'setIdentifier', path),
    recordTTL: readInteger(obj, 'recordTTL', path),
    labels: readStringMap(obj, 'labels', path),
    providerSpecific: readArray(obj, 'providerSpecific', path, propertyFromWire),
  };
}

/** Reads a JSON array of endpoints (the body of `GET /records` or `POST /adjustendpoints`); `null` is []. */
export function endpointsFromWire(value: unknown, path = 'endpoints'): Endpoint[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ExtdnsError(EndpointErrors.EXTDNS_ENDPOINT_WIRE, `${path} must be an array of endpoints`);
  return value.map((v: unknown, i) => endpointFromWire(v, `${path}[${i}]`));
}

const CHANGE_KEYS = ['create', 'updateOld', 'updateNew', 'delete'] as const;

/** The JSON object of a change set: keys in Go order, each omitted when empty. */
export function changesToWire(changes: Changes): ChangesWire {
  const out: ChangesWire = {};
  for (const key of CHANGE_KEYS) {
    if (changes[key].length > 0) out[key] = changes[key].map(endpointToWire);
  }
  return out;
}

const CHANGE_FIELDS = fieldSet(CHANGE_KEYS);

/** The four lists of a change set, not yet read (Go key folding applied); an object with keys but none of these is refused. */
export function changeListsFromWire(value: unknown): JsonObject {
  if (value === null || value === undefined) return {};
  const raw = readObject(value, 'changes');
  const obj = goFields(raw, CHANGE_FIELDS, 'changes');
  const keys = Object.keys(raw);
  if (keys.length > 0 && Object.keys(obj).length === 0) {
    throw new ExtdnsError(EndpointErrors.EXTDNS_ENDPOINT_WIRE,
      `changes has none of the keys ${CHANGE_KEYS.join(', ')} (it has ${keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ')}${keys.length > 5 ? ', …' : ''})`);
  }
  return obj;
}

/** updateOld[i] must pair with updateNew[i]. */
export function checkUpdatePairs(changes: Changes): void {
  if (changes.updateOld.length !== changes.updateNew.length) {
    throw new ExtdnsError(
      EndpointErrors.EXTDNS_ENDPOINT_WIRE,
      `changes has ${changes.updateOld.length} updateOld and ${changes.updateNew.length} updateNew endpoints; each old record needs its new form at the same index`,
    );
  }
}

/** Reads a change set (the body of `POST /records`); updateOld[i] must pair with updateNew[i]. */
export function changesFromWire(value: unknown): Changes {
  const obj = changeListsFromWire(value);
  const read = (key: (typeof CHANGE_KEYS)[number]): Endpoint[] => readArray(obj, key, '', endpointFromWire);
  const changes: Changes = { create: read('create'), updateOld: read('updateOld'), updateNew: read('updateNew'), delete: read('delete') };
  checkUpdatePairs(changes);
  return changes;
}
