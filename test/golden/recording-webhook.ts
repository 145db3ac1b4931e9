/**
 * A webhook provider for the golden plan tests: it answers the negotiation
 * with a given domain filter, `GET /records` with the records it is given,
 * echoes `POST /adjustendpoints`, takes `POST /records` with 204, and keeps
 * every request (method, URL, media-type headers, body) in order.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_MEDIA_TYPE } from '../../src/provider/webhook/media-type.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface RecordingWebhook {
  readonly url: string;
  /** The requests so far; the test empties it between runs. */
  requests: RecordedRequest[];
  /** What `GET /records` answers. */
  records: unknown[];
  close(): Promise<void>;
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let b = '';
    req.on('data', (c: Buffer) => { b += c.toString('utf8'); });
    req.on('end', () => { resolve(b); });
  });
}

export async function startRecordingWebhook(domainFilter: unknown): Promise<RecordingWebhook> {
  let server: Server | undefined = undefined;
  const hook: RecordingWebhook = {
    url: '',
    requests: [],
    records: [],
    close: () => new Promise<void>((resolve) => { server?.close(() => { resolve(); }); }),
  };
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      hook.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { accept: req.headers.accept, 'content-type': req.headers['content-type'] }, body });
      const json = (v: unknown): void => { res.setHeader('Content-Type', WEBHOOK_MEDIA_TYPE); res.end(JSON.stringify(v)); };
      if (req.method === 'GET' && req.url === '/') json(domainFilter);
      else if (req.method === 'GET' && req.url === '/records') json(hook.records);
      else if (req.method === 'POST' && req.url === '/adjustendpoints') json(JSON.parse(body) as unknown);
      else { res.statusCode = req.method === 'POST' && req.url === '/records' ? 204 : 404; res.end(); }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(hook, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
