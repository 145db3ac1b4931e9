/** One raw HTTP/1.1 exchange on a fresh connection, for byte-level protocol tests. */
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  /** Lower-case header names. */
  headers: Map<string, string>;
  body: string;
}

/** Writes `text` to 127.0.0.1:`port` and reads until the server closes (send `Connection: close`). */
export function rawExchange(port: number, text: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => { socket.write(text); });
    let data = '';
    socket.on('data', (c: Buffer) => { data += c.toString('utf8'); });
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}
