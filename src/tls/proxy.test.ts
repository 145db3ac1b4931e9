import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readProxyEnvironment } from '../config/environment.ts';
import { ExtdnsError } from '../errors/errors.ts';
import { describeRoute, environmentProxy, fixedProxy } from './proxy.ts';

const route = (env: Record<string, string>, target: string): string => describeRoute(environmentProxy(readProxyEnvironment(env)).routeFor(target));
const proxied = (noProxy: string, target: string): boolean =>
  environmentProxy(readProxyEnvironment({ HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128', NO_PROXY: noProxy })).routeFor(target).kind === 'proxy';

describe('proxy variables, as Go reads them', () => {
  test('upper case first, then lower case; empty counts as unset', () => {
    assert.deepEqual(readProxyEnvironment({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:1' }).httpsProxy, { value: 'http://a:1', from: 'HTTPS_PROXY' });
    assert.deepEqual(readProxyEnvironment({ HTTPS_PROXY: '', https_proxy: 'http://b:1' }).httpsProxy, { value: 'http://b:1', from: 'https_proxy' });
    assert.equal(readProxyEnvironment({ no_proxy: '.corp' }).noProxy, '.corp');
    assert.deepEqual(readProxyEnvironment({}), {});
  });

  test('https targets use HTTPS_PROXY, http targets HTTP_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://p:2' };
    assert.equal(route(env, 'https://route53.amazonaws.com'), 'proxy http://s:1 (HTTPS_PROXY)');
    assert.equal(route(env, 'http://pdns.corp:8081'), 'proxy http://p:2 (HTTP_PROXY)');
    assert.equal(route({ HTTP_PROXY: 'http://p:2' }, 'https://x.example'), 'direct (no HTTPS_PROXY set)');
  });

  test('a value without a scheme means http://; socks5 and garbage are refused with a code', () => {
    assert.equal(route({ HTTPS_PROXY: 'proxy.corp:3128' }, 'https://x.example'), 'proxy http://proxy.corp:3128 (HTTPS_PROXY)');
    assert.equal(route({ HTTPS_PROXY: 'https://proxy.corp' }, 'https://x.example'), 'proxy https://proxy.corp (HTTPS_PROXY)');
    assert.throws(() => environmentProxy(readProxyEnvironment({ HTTPS_PROXY: 'socks5://p:1080' })), (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_PROXY_INVALID');
    assert.throws(() => environmentProxy(readProxyEnvironment({ HTTPS_PROXY: 'http://u:secret@[bad' })),
      (e: unknown) => ExtdnsError.is(e) && e.code === 'EXTDNS_PROXY_INVALID' && !e.message.includes('secret'));
  });

  test('loopback and localhost are never proxied, whatever NO_PROXY says', () => {
    for (const t of ['https://localhost:8443', 'https://127.0.0.1', 'https://127.8.9.1:1', 'https://[::1]:443', 'http://[::ffff:127.0.0.1]:80']) {
      assert.equal(proxied('', t), false, t);
    }
    assert.equal(proxied('', 'https://localhost.example'), true);
  });

  test("NO_PROXY: Go's matching of domains, leading dots, *., ports, IPs and CIDRs", () => {
    const cases: [string, string, boolean][] = [
      ['example.com', 'https://example.com', false],
      ['example.com', 'https://api.example.com', false],
      ['example.com', 'https://notexample.com', true],
      ['.example.com', 'https://example.com', true],
      ['.example.com', 'https://api.example.com', false],
      ['*.example.com', 'https://example.com', true],
      ['*.example.com', 'https://a.b.example.com', false],
      ['EXAMPLE.com ', 'https://Api.Example.COM', false],
      ['example.com:8443', 'https://example.com:8443', false],
      ['example.com:8443', 'https://example.com', true],
      ['10.0.0.0/8', 'https://10.1.2.3:6443', false],
      ['10.0.0.0/8', 'https://11.1.2.3', true],
      ['fd00::/8', 'https://[fd00::1]', false],
      ['192.0.2.7', 'https://192.0.2.7', false],
      ['192.0.2.7:443', 'https://192.0.2.7', false],
      ['192.0.2.7:80', 'https://192.0.2.7', true],
      ['[2001:db8::1]:443', 'https://[2001:db8::1]', false],
      ['2001:db8::1', 'https://[2001:db8::1]:9', false],
      ['*', 'https://anything.example', false],
      ['a.example, ,b.example', 'https://b.example', false],
      ['bücher.example', 'https://xn--bcher-kva.example', false],
      [':443', 'https://x.example', true],
    ];
    for (const [noProxy, target, expected] of cases) assert.equal(proxied(noProxy, target), expected, `NO_PROXY=${noProxy} ${target}`);
    assert.equal(route({ HTTPS_PROXY: 'http://p:1', NO_PROXY: '.corp' }, 'https://x.corp'), 'direct (NO_PROXY matches)');
  });

  test('credentials in a proxy URL are masked in every description', () => {
    const env = { HTTPS_PROXY: 'http://alice:s3cret@proxy:3128', NO_PROXY: '.corp' };
    const config = environmentProxy(readProxyEnvironment(env));
    assert.equal(describeRoute(config.routeFor('https://x.example')), 'proxy http://alice:*****@proxy:3128 (HTTPS_PROXY)');
    assert.equal(config.summary, 'HTTPS_PROXY=http://alice:*****@proxy:3128, NO_PROXY=.corp');
    assert.equal(describeRoute(fixedProxy('http://bob:pw@p:8080', 'kubeconfig proxy-url').routeFor('https://127.0.0.1:6443')),
      'proxy http://bob:*****@p:8080 (kubeconfig proxy-url)');
  });
});
