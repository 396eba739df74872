// A local webhook receiver for the tests and the bench: node:http on 127.0.0.1, keeping every
// request's raw body and headers; `answer` decides each status (default 200).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Hit {
  raw: Buffer;
  headers: IncomingHttpHeaders;
  url: string;
}

export interface Receiver {
  url: string;
  hits: Hit[];
  answer: (hit: Hit, n: number) => number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = { url: '', hits: [], answer: () => 200, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit = { raw: Buffer.concat(chunks), headers: req.headers, url: req.url ?? '' };
      r.hits.push(hit);
      const status = r.answer(hit, r.hits.length);
      res.writeHead(status, { 'content-type': 'text/plain', ...(status >= 300 && status < 400 ? { location: '/moved' } : {}) });
      res.end(status < 300 ? 'ok' : `status ${status} ${'x'.repeat(2000)}`);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  r.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  r.close = () => new Promise((ok) => server.close(() => ok()));
  return r;
}
