/**
 * The record types `extdns webhook` lets a change set carry: the data types of
 * the IANA "Resource Record (RR) TYPEs" registry, and RFC 3597's TYPEnnn for
 * any other number. Meta and query types (OPT, TSIG, AXFR, ANY…) and made-up
 * mnemonics such as BOGUS are refused before the provider sees them: a zone
 * file holding one no longer loads.
 */

const IANA_DATA_TYPES: ReadonlySet<string> = new Set([
  'A', 'NS', 'MD', 'MF', 'CNAME', 'SOA', 'MB', 'MG', 'MR', 'NULL', 'WKS', 'PTR', 'HINFO', 'MINFO', 'MX', 'TXT',
  'RP', 'AFSDB', 'X25', 'ISDN', 'RT', 'NSAP', 'NSAP-PTR', 'SIG', 'KEY', 'PX', 'GPOS', 'AAAA', 'LOC', 'NXT', 'EID',
  'NIMLOC', 'SRV', 'ATMA', 'NAPTR', 'KX', 'CERT', 'A6', 'DNAME', 'SINK', 'APL', 'DS', 'SSHFP', 'IPSECKEY',
  'RRSIG', 'NSEC', 'DNSKEY', 'DHCID', 'NSEC3', 'NSEC3PARAM', 'TLSA', 'SMIMEA', 'HIP', 'NINFO', 'RKEY', 'TALINK',
  'CDS', 'CDNSKEY', 'OPENPGPKEY', 'CSYNC', 'ZONEMD', 'SVCB', 'HTTPS', 'DSYNC', 'HHIT', 'BRID', 'SPF', 'UINFO',
  'UID', 'GID', 'UNSPEC', 'NID', 'L32', 'L64', 'LP', 'EUI48', 'EUI64', 'URI', 'CAA', 'AVC', 'DOA', 'AMTRELAY',
  'RESINFO', 'WALLET', 'CLA', 'IPN', 'TA', 'DLV',
]);

/** RFC 3597 generic form: TYPE followed by a number in 1..65535. */
const GENERIC = /^TYPE([1-9][0-9]{0,4})$/;

export function isDnsDataType(type: string): boolean {
  if (IANA_DATA_TYPES.has(type)) return true;
  const generic = GENERIC.exec(type);
  return generic !== null && Number(generic[1]) <= 65535;
}
