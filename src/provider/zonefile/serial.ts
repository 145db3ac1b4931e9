/**
 * SOA serial bumping. Serials follow the common YYYYMMDDnn convention: a
 * serial below today's `YYYYMMDD00` jumps to it, anything else goes up by one
 * (RFC 1982 arithmetic, wrapping at 2^32), so secondaries always see an
 * increase.
 */

/** `YYYYMMDD00` for the UTC date of `nowMs`. */
export function dateSerial(nowMs: number): number {
  const d = new Date(nowMs);
  return (d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate()) * 100;
}

export function nextSerial(current: number, nowMs: number): number {
  const today = dateSerial(nowMs);
  if (current < today) return today;
  return (current + 1) % 2 ** 32;
}

export function serialOf(soaRdata: string): number {
  return Number(soaRdata.split(' ').at(-5));
}
