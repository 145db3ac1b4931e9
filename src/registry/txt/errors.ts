/** Error codes of the TXT registry. */
import { defineErrors } from '../../errors/errors.ts';

export const TxtRegistryErrors = defineErrors({
  EXTDNS_TXT_OWNER_ID_EMPTY: {
    transient: false,
    summary: 'The TXT registry needs a non-empty --txt-owner-id (it is written into every ownership record).',
  },
  EXTDNS_TXT_OWNER_ID_INVALID: {
    transient: false,
    summary: 'The --txt-owner-id (or --migrate-from-txt-owner) holds a comma, equals sign, double quote, white space or control character, which the ownership TXT cannot hold. Use letters, digits, `-`, `_`, `.`.',
  },
  EXTDNS_TXT_AFFIX_CONFLICT: {
    transient: false,
    summary: '--txt-prefix and --txt-suffix were both set; they are mutually exclusive. Keep one.',
  },
  EXTDNS_TXT_AES_KEY_INVALID: {
    transient: false,
    summary: '--txt-encrypt-aes-key must be 32 bytes, given raw or as standard base64 of 32 bytes (e.g. `openssl rand -base64 32`).',
  },
  EXTDNS_TXT_AES_KEY_MISSING: {
    transient: false,
    summary: '--txt-encrypt-enabled is set but --txt-encrypt-aes-key is empty. Set a 32-byte key.',
  },
});
