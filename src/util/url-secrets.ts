/**
 * Credentials in URLs (`https://admin:pw@pdns`, `http://u:pw@proxy:3128`)
 * are secrets: every URL extdns prints goes through these first. The user
 * name stays (it helps to tell configurations apart, as Go's URL.Redacted
 * keeps it); the password becomes `*****`.
 */

export const URL_SECRET_MASK = '*****';

/** `scheme://user:password@` anywhere in a text (the password may hold anything but `@`, `/` and whitespace). */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*):([^\s/@]*)@/gi;
/** `scheme://token@` with no colon: the whole user part may be a token. */
const USER_ONLY = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+)@/gi;

/** The text with the password part of every URL's user info masked. */
export function redactUrls(text: string): string {
  if (!text.includes('@')) return text;
  return text
    .replace(USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${URL_SECRET_MASK}@`)
    .replace(USER_ONLY, (m, scheme: string, user: string) => (user === URL_SECRET_MASK ? m : `${scheme}${URL_SECRET_MASK}@`));
}

/** True when a URL carries a password (or a lone user token). */
export function hasUrlSecret(text: string): boolean {
  return redactUrls(text) !== text;
}
