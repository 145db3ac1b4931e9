/** Flags of the webhook provider (the client side; ExternalDNS v0.22 names and defaults; merged into the one config schema by src/config/flags/dns-providers.ts). */
import type { FlagDef } from '../../config/schema.ts';

const WH = 'Provider: Webhook';

export const WEBHOOK_PROVIDER_FLAGS = [
  { name: 'webhook-provider-url', kind: 'string', default: 'http://localhost:8888', group: WH, components: ['provider:webhook'],
    help: 'URL of the webhook provider to call' },
  { name: 'webhook-provider-read-timeout', kind: 'duration', default: '5s', group: WH, components: ['provider:webhook'],
    help: 'Read timeout of webhook calls (and of the server with --webhook-server)' },
  { name: 'webhook-provider-write-timeout', kind: 'duration', default: '10s', group: WH, components: ['provider:webhook'],
    help: 'Write timeout of webhook calls (and of the server with --webhook-server)' },
  { name: 'webhook-provider-read-header-timeout', kind: 'duration', default: '5s', group: WH, components: ['provider:webhook'],
    help: 'With --webhook-server: time allowed to receive request headers' },
  { name: 'webhook-provider-idle-timeout', kind: 'duration', default: '30s', group: WH, components: ['provider:webhook'],
    help: 'With --webhook-server: how long an idle keep-alive connection stays open' },
  { name: 'webhook-provider-max-body-size', kind: 'int', default: 0, group: WH, components: ['provider:webhook'],
    help: 'Largest webhook request or response body in bytes; 0 (the default, as ExternalDNS v0.22) sets no limit' },
  { name: 'webhook-server', kind: 'bool', default: false, group: WH, components: ['provider:webhook'],
    help: 'Serve the configured provider over the webhook protocol instead of running the controller' },
] as const satisfies readonly FlagDef[];

const WHS = 'extdns: webhook server';

/** Where `extdns webhook` serves (extdns's own flags). */
export const WEBHOOK_SERVER_FLAGS = [
  { name: 'webhook-server-address', kind: 'string', default: '127.0.0.1:8888', group: WHS, components: ['webhook-server'], extdnsOnly: true,
    help: 'Where `extdns webhook` (and --webhook-server) serves the webhook provider API, [host]:port (ExternalDNS hard-codes 127.0.0.1:8888)' },
  { name: 'webhook-server-metrics-address', kind: 'string', default: ':8080', group: WHS, components: ['webhook-server'], extdnsOnly: true,
    help: 'Where `extdns webhook` serves /healthz, /readyz and /metrics, [host]:port (the webhook sidecar convention is :8080)' },
] as const satisfies readonly FlagDef[];
