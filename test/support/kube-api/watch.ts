/**
 * Watch streams: newline-delimited JSON events, replayed from the history
 * after the asked resourceVersion, then live. An ERROR event with a 410
 * Status when that resourceVersion was compacted away, as kube-apiserver does.
 */
import type { ServerResponse } from 'node:http';
import { groupVersion, type ResourceDef } from './resources.ts';
import { selectorOf, typed, type Matcher, type ObjectRequest, type Reply } from './objects.ts';
import { statuses } from './status.ts';
import type { KubeObj, StoredEvent, Store } from './store.ts';

interface OpenWatch {
  readonly def: ResourceDef;
  readonly bookmarks: boolean;
  end(): void;
  write(line: unknown): void;
}

export class Watches {
  readonly #open = new Set<OpenWatch>();
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  get count(): number {
    return this.#open.size;
  }

  /** Starts a stream on `res`; returns a reply instead when the request is bad. */
  start(r: ObjectRequest, res: ServerResponse): Reply | undefined {
    const match = selectorOf(r.query);
    if (typeof match !== 'function') return match;
    const inScope: Matcher = (o) => match(o) && (r.namespace === undefined || o.metadata.namespace === r.namespace);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const rvText = r.query.get('resourceVersion') ?? '';
    const rv = Number(rvText);
    if (rvText !== '' && rvText !== '0' && (!Number.isInteger(rv) || rv < this.#store.compactedRv)) {
      res.end(`${JSON.stringify({ type: 'ERROR', object: statuses.tooOldResourceVersion(rv, this.#store.compactedRv) })}\n`);
      return undefined;
    }
    const w = this.#open_(r, res, inScope);
    if (rvText === '' || rvText === '0') {
      for (const o of this.#store.list(r.def, r.namespace).filter(inScope)) w.write({ type: 'ADDED', object: typed(r.def, o) });
    } else {
      for (const e of this.#store.since(r.def, rv)) forward(e, inScope, w);
    }
    return undefined;
  }

  #open_(r: ObjectRequest, res: ServerResponse, inScope: Matcher): OpenWatch {
    let timer: NodeJS.Timeout | undefined;
    const unsubscribe = this.#store.subscribe((e) => {
      if (e.def.group === r.def.group && e.def.resource === r.def.resource) forward(e, inScope, w);
    });
    const w: OpenWatch = {
      def: r.def,
      bookmarks: ['1', 'true'].includes(r.query.get('allowWatchBookmarks') ?? ''),
      write: (line) => {
        if (!res.writableEnded) res.write(`${JSON.stringify(line)}\n`);
      },
      end: () => {
        unsubscribe();
        clearTimeout(timer);
        this.#open.delete(w);
        if (!res.writableEnded) res.end();
      },
    };
    const timeout = Number(r.query.get('timeoutSeconds') ?? '0');
    if (timeout > 0) timer = setTimeout(() => { w.end(); }, timeout * 1000);
    res.on('close', () => { w.end(); });
    this.#open.add(w);
    return w;
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watch that allows them. */
  bookmark(): void {
    const rv = String(this.#store.resourceVersion);
    for (const w of this.#open) {
      if (w.bookmarks) w.write({ type: 'BOOKMARK', object: { kind: w.def.kind, apiVersion: groupVersion(w.def), metadata: { resourceVersion: rv } } });
    }
  }

  /** Ends every open stream (the client sees a clean end of the response). */
  dropAll(): void {
    for (const w of [...this.#open]) w.end();
  }
}

/** Maps a store event through the watch's selector: objects entering or leaving it become ADDED / DELETED. */
function forward(e: StoredEvent, inScope: Matcher, w: OpenWatch): void {
  const now = inScope(e.object);
  const before = e.old !== undefined && inScope(e.old);
  const obj = (o: KubeObj): KubeObj => typed(e.def, o);
  if (e.type === 'ADDED' && now) w.write({ type: 'ADDED', object: obj(e.object) });
  else if (e.type === 'DELETED' && before) w.write({ type: 'DELETED', object: obj(e.object) });
  else if (e.type === 'MODIFIED') {
    if (now && before) w.write({ type: 'MODIFIED', object: obj(e.object) });
    else if (now) w.write({ type: 'ADDED', object: obj(e.object) });
    else if (before) w.write({ type: 'DELETED', object: obj(e.object) });
  }
}
