/**
 * A local HTTP server for the download tests: fixed routes serving bytes made in the test,
 * reached through the downloader's mirror option (`<base>/<host>/<path>`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  /** the mirror base: `${origin}/m` */
  readonly mirror: string;
  readonly origin: string;
  /** the paths requested, in order (after the mirror prefix) */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves `body` with a Content-Length (or chunked, without one). */
export function bytesRoute(body: Uint8Array | string, opts: { chunked?: boolean } = {}): Route {
  const buf = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  return (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      ...(opts.chunked ? {} : { 'content-length': String(buf.length) }),
    });
    res.end(buf);
  };
}

/** Sends `chunks` chunks of `size` bytes, `delayMs` apart (for cancelling mid-way). */
export function slowRoute(chunks: number, size: number, delayMs: number): Route {
  return (req, res) => {
    res.writeHead(200, { 'content-length': String(chunks * size) });
    let sent = 0;
    const timer = setInterval(() => {
      if (sent === chunks || res.destroyed) {
        clearInterval(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(Buffer.alloc(size, 0x61));
      sent++;
    }, delayMs);
    req.on('close', () => clearInterval(timer));
  };
}

export function redirectRoute(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

/** Announces `announced` bytes, sends `sent`, then drops the connection. */
export function truncatedRoute(announced: number, sent: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': String(announced) });
    res.write(Buffer.alloc(sent, 0x62), () => res.destroy());
  };
}

/** Starts a server on 127.0.0.1, port 0; `routes` keys are paths under the mirror, e.g. "/example.test/a.txt". */
export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/m(?=\/)/, '');
    requests.push(path);
    const route = routes[path];
    if (route) route(req, res);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    mirror: `${origin}/m`,
    origin,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
