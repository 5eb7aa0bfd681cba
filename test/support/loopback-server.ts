import * as http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';

/** One request as the loopback server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What the scripted server does for one request. */
export type ScriptedReply =
  | { readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
  | { readonly hang: true }
  | { readonly dropConnection: true };

/** Either a fixed script of replies or a function that picks the reply for each request. */
export type ScriptedReplies = ScriptedReply[] | ((request: RecordedRequest, index: number) => ScriptedReply);

export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that answers each request with the next scripted reply (the last one
 * repeats). Tests use it to see exactly what a client sends and how it reacts to each kind of answer.
 */
export async function startLoopbackServer(replies: ScriptedReplies): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const index = requests.length;
      requests.push(recorded);
      const reply = typeof replies === 'function' ? replies(recorded, index) : replies[Math.min(index, replies.length - 1)];
      if ('hang' in reply) return;
      if ('dropConnection' in reply) {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // Tests may close a server early (to free its port); the later close in `afterEach` must then be a no-op.
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
      })),
  };
}

/** Collects log lines so a test can assert that no secret ever reaches one. */
export function captureLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

/** Asserts that none of `secrets` occurs in any of `texts` (error messages, log lines, stacks). */
export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const secret of secrets) {
    for (const text of texts) {
      expect(text).not.toContain(secret);
    }
  }
}

/**
 * Returns a `serve(replies)` that starts a loopback server and registers an `afterEach` that closes every
 * server it started, so a test can never leak a listening port into the next one. Call it at the top of a
 * file or inside a `describe`, where `afterEach` may be registered.
 */
export function useLoopbackServers(): (replies: ScriptedReplies) => Promise<LoopbackServer> {
  const open: LoopbackServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (replies) => {
    const server = await startLoopbackServer(replies);
    open.push(server);
    return server;
  };
}

/** `http://127.0.0.1:<port>` of a port that was just freed: a connection to it is refused (ECONNREFUSED). */
export async function endpointWhereNothingListens(): Promise<string> {
  const server = await startLoopbackServer([{ status: 200, body: '' }]);
  await server.close();
  return server.url;
}

/**
 * A DNS lookup that resolves `localhost` and names under `.localhost` to the loopback address (RFC 6761) and
 * refuses every other name: an official SDK pointed at `<service>.localhost:<port>` signs for its service as
 * it would for the cloud's own host, and nothing it sends can leave the machine. (The system resolver here
 * does not resolve `.localhost`.)
 */
export const loopbackOnly: LookupFunction = (hostname, options, callback) => {
  if (hostname !== 'localhost' && !hostname.endsWith('.localhost')) {
    callback(Object.assign(new Error(`refusing to resolve ${hostname}: loopback only`), { code: 'ENOTFOUND' }), '', 4);
  } else if (options.all) {
    (callback as unknown as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  } else {
    callback(null, '127.0.0.1', 4);
  }
};
