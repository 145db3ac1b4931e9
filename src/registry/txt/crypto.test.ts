import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtdnsError } from '../../errors/errors.ts';
import { decryptText, encryptText, nonceFromLabel, parseAesKey } from './crypto.ts';

// Facts from kubernetes-sigs/external-dns tests: values written by ExternalDNS (Go).
// endpoint/labels_test.go: key and the encrypted form of an ownership label string.
const LABELS_KEY = Buffer.from(')K_Fy|?Z.64#UuHm`}[d!GC%WJM_fs{_');
const FOO_PLAIN = 'heritage=external-dns,external-dns/owner=foo-owner,external-dns/resource=foo-resource';
const FOO_ENCRYPTED = '+lvP8q9KHJ6BS6O81i2Q6DLNdf2JSKy8j/gbZKviTZlGYj7q+yDoYMgkQ1hPn6urtGllM5bfFMcaaHto52otQtiOYrX8990J3kQqg4s47m3bH3Ejl8RSxSSuWJM3HJtPghQzYg0/LSOsdQ0=';
const BAR_PLAIN = 'heritage=external-dns,,external-dns/owner=bar-owner,external-dns/resource=bar-resource,external-dns/new-key=bar-new-key,random=stuff,no-equal-sign,,';
const BAR_ENCRYPTED = 'yi6vVATlgYN0enXBIupVK2atNUKtajofWMroWtvZjUanFZXlWvqjJPpjmMd91kv86bZj+syQEP0uR3TK6eFVV7oKFh/NxYyh238FjZ+25zlXW9TgbLoMalUNOkhKFdfXkLeeaqJjePB59t+kQBYX+ZEryK652asPs6M+xTIvtg07N7WWZ6SjJujm0RRISg==';
// endpoint/crypto_test.go: a longer text.
const LOREM_KEY = Buffer.from("s%zF`.*'5`9.AhI2!B,.~hmbs^.*TL?;");
const LOREM = "Lorem Ipsum is simply dummy text of the printing and typesetting industry. Lorem Ipsum has been the industry's standard dummy text ever since the 1500s, when an unknown printer took a galley of type and scrambled it to make a type specimen book. It has survived not only five centuries, but also the leap into electronic typesetting, remaining essentially unchanged. It was popularised in the 1960s with the release of Letraset sheets containing Lorem Ipsum passages, and more recently with desktop publishing software like Aldus PageMaker including versions of Lorem Ipsum.";
const LOREM_ENCRYPTED = '0Mfzf6wsN8llrfX0ucDZ6nlc2+QiQfKKedjPPLu5atb2I35L9nUZeJcCnuLVW7CVW3K0h94vSuBLdXnMrj8Vcm0M09shxaoF48IcCpD03XtQbKXqk2hPbsW6+JybvplHIQGr16/PcjUSObGmR9yjf38+qEltApkKvrPjsyw43BX4eE10rL0Bln33UJD7/w+zazRDPFlAcbGtkt0ETKHnvyB3/aCddLipvrhjCXj2ZY/ktRF6h716kJRgXU10dCIQHFYU45MIdxI+k10HK3yZqhI2V0Gp2xjrFV/LRQ7/OS9SFee4asPWUYxbCEsnOzp8qc0dCPFSo1dtADzWnUZnsAcbnjtudT4milfLJc5CxDk1v3ykqQ/ajejwHjWQ7b8U6AsTErbezfdcqrb5IzkLgHb5TosnfrdDmNc9GcKfpsrCHbVY8KgNwMVdtwavLv7d9WM6sooUlZ3t0sABGkzagXQmPRvwLnkSOlie5XrnzWo8/8/4UByLga29CaXO';

describe('--txt-encrypt-aes-key', () => {
  test('32 raw bytes are used as given', () => {
    assert.deepEqual(parseAesKey('passphrasewhichneedstobe32bytes!'), Buffer.from('passphrasewhichneedstobe32bytes!'));
  });

  test('standard base64 of 32 bytes is decoded (ExternalDNS encryption_test.go bytes)', () => {
    assert.deepEqual([...(parseAesKey('ZPitL0NGVQBZbTD6DwXJzD8RiStSazzYXQsdUowLURY=') ?? [])],
      [100, 248, 173, 47, 67, 70, 85, 0, 89, 109, 48, 250, 15, 5, 201, 204, 63, 17, 137, 43, 82, 107, 60, 216, 93, 11, 29, 82, 140, 11, 81, 22]);
  });

  test('empty means no key', () => {
    assert.equal(parseAesKey(''), undefined);
  });

  for (const bad of ['123456789012345678901234567890asdfasdfasdfasdfa12', 'short', 'AAAAAAAAAAAAAAAAAAAAAA==', 'ZPitL0NGVQBZbTD6DwXJzD8RiStSazzYXQsdUowLURY', '!PitL0NGVQBZbTD6DwXJzD8RiStSazzYXQsdUowLURY=']) {
    test(`${JSON.stringify(bad)} is rejected naming the flag, without echoing the key`, () => {
      assert.throws(() => parseAesKey(bad), (e: unknown) =>
        ExtdnsError.is(e) && e.code === 'EXTDNS_TXT_AES_KEY_INVALID' && !e.transient && e.message.includes('--txt-encrypt-aes-key') && !e.message.includes(bad));
    });
  }
});

describe('TXT value encryption', () => {
  test('reads values ExternalDNS wrote', () => {
    assert.deepEqual(decryptText(FOO_ENCRYPTED, LABELS_KEY), { plain: FOO_PLAIN, nonce: '+lvP8q9KHJ6BS6O8' });
    assert.equal(decryptText(BAR_ENCRYPTED, LABELS_KEY)?.plain, BAR_PLAIN);
    assert.equal(decryptText(LOREM_ENCRYPTED, LOREM_KEY)?.plain, LOREM);
  });

  test('with the same nonce, re-encrypting an ExternalDNS label string gives ExternalDNS\'s exact bytes', () => {
    const nonce = nonceFromLabel('+lvP8q9KHJ6BS6O8');
    assert.ok(nonce !== undefined);
    assert.equal(encryptText(FOO_PLAIN, LABELS_KEY, nonce), FOO_ENCRYPTED);
  });

  test('round trip; the value starts with the base64 nonce; the same nonce gives the same value', () => {
    const nonce = Buffer.from('000102030405060708090a0b', 'hex');
    const value = encryptText(FOO_PLAIN, LOREM_KEY, nonce);
    assert.equal(value, encryptText(FOO_PLAIN, LOREM_KEY, nonce));
    assert.ok(value.startsWith(nonce.toString('base64')));
    assert.deepEqual(decryptText(value, LOREM_KEY), { plain: FOO_PLAIN, nonce: nonce.toString('base64') });
    assert.notEqual(encryptText(FOO_PLAIN, LOREM_KEY, Buffer.alloc(12)), value);
  });

  test('a wrong key, a tampered value, plain text or short data decrypt to undefined', () => {
    assert.equal(decryptText(FOO_ENCRYPTED, LOREM_KEY), undefined);
    const tampered = Buffer.from(FOO_ENCRYPTED, 'base64');
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    assert.equal(decryptText(tampered.toString('base64'), LABELS_KEY), undefined);
    assert.equal(decryptText(FOO_PLAIN, LABELS_KEY), undefined);
    assert.equal(decryptText('AAAA', LABELS_KEY), undefined);
    assert.equal(decryptText('', LABELS_KEY), undefined);
  });

  test('nonce labels: only base64 of 12 bytes counts', () => {
    assert.equal(nonceFromLabel(undefined), undefined);
    assert.equal(nonceFromLabel('not base64!'), undefined);
    assert.equal(nonceFromLabel(Buffer.alloc(16).toString('base64')), undefined);
    assert.deepEqual(nonceFromLabel(Buffer.alloc(12, 7).toString('base64')), Buffer.alloc(12, 7));
  });

  test('encryptText refuses a nonce of the wrong size', () => {
    assert.throws(() => encryptText(FOO_PLAIN, LABELS_KEY, Buffer.alloc(8)), RangeError);
  });
});
