import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { CloudEmulator, EmulatorContext, EmulatorRequest, EmulatorResponse } from './cloud-emulator';
import { FaultQueue, FaultSpec, HeldRequests } from './faults';
import { EmulatorState } from './key-pair-store';
import type { RequestJournal } from './request-journal';
import { unreachable } from '../src/contract';

/** The instance a binding names when the caller gives none. */
export const DEFAULT_BOUND_INSTANCE = 'i-emulated-instance';

/** Where the test-only inspection API lives on every cloud's port (no cloud action uses this path). */
export const INSPECTION_PREFIX = '/_emulator/';

export interface CloudServerOptions {
  readonly emulator: CloudEmulator;
  readonly state: EmulatorState;
  readonly faults: FaultQueue;
  readonly journal: RequestJournal;
  /** Where `hold` latency faults keep their requests (shared by the clouds' servers). @default this server's own */
  readonly held?: HeldRequests;
  readonly context: Omit<EmulatorContext, 'store' | 'secrets'>;
  readonly host: string;
  readonly port: number;
  /** One line per request (action, status); never bodies, which hold private keys. */
  readonly log?: (line: string) => void;
}

export interface RunningCloudServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves one cloud's key pair API (and the inspection API) on its own loopback port. */
export async function startCloudServer(options: CloudServerOptions): Promise<RunningCloudServer> {
  const { emulator } = options;
  const context: EmulatorContext = {
    ...options.context,
    store: options.state.storeFor(emulator.cloud),
    secrets: options.state.secretStoreFor(emulator.cloud),
  };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const held = options.held ?? new HeldRequests();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: EmulatorRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', `http://${req.headers.host ?? options.host}`),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      if (request.url.pathname.startsWith(INSPECTION_PREFIX)) {
        send(res, answerInspection(request, options, held));
        return;
      }
      const action = emulator.actionOf(request);
      const keyPairNames = emulator.keyPairNamesOf(request, context.store);
      const secretNames = emulator.secretNamesOf?.(request) ?? [];
      // Secret names only on secret-store requests, so the key pair requests' entries keep their shape.
      const named = { keyPairNames, ...(secretNames.length > 0 ? { secretNames } : {}) };
      const fault = options.faults.take(emulator.cloud, action);
      // Every fault but latency replaces the answer; latency delays the normal one.
      const respond = () => {
        if (fault?.afterAction) handleSafely(emulator, request, context, options.log); // done, then the answer is lost
        const injected = fault && fault.kind !== 'latency' ? faultResponse(fault, emulator, action, request) : undefined;
        const handled = injected === undefined || fault?.afterAction === true;
        if (injected === 'drop') {
          req.socket.destroy();
          options.journal.record({ cloud: emulator.cloud, action, handled, fault: fault?.kind, ...named });
          options.log?.(`${emulator.cloud} ${action ?? '?'}: connection dropped (injected)`);
          return;
        }
        const response = injected ?? handleSafely(emulator, request, context, options.log);
        options.journal.record({ cloud: emulator.cloud, action, status: response.status, handled, fault: fault?.kind, ...named });
        options.log?.(`${emulator.cloud} ${action ?? '?'}: HTTP ${response.status}${fault ? ` (injected ${fault.kind})` : ''}`);
        send(res, response);
      };
      if (fault?.kind === 'latency' && fault.hold) {
        held.add({ cloud: emulator.cloud, answer: respond, drop: () => req.socket.destroy() });
        return;
      }
      if (fault?.kind === 'latency') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond();
        }, fault.latencyMs ?? 1000);
        timers.add(timer);
        return;
      }
      respond();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        held.drop(emulator.cloud);
        for (const socket of sockets) socket.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function handleSafely(
  emulator: CloudEmulator,
  request: EmulatorRequest,
  context: EmulatorContext,
  log?: (line: string) => void,
): EmulatorResponse {
  try {
    return emulator.handle(request, context);
  } catch (err) {
    // A bug in the emulator must look like the cloud's internal error, not hang the client.
    log?.(`${emulator.cloud}: emulator error: ${err instanceof Error ? err.message : String(err)}`);
    return emulator.serverErrorResponse(emulator.actionOf(request) ?? 'Unknown', newRequestId(), request);
  }
}

function faultResponse(fault: FaultSpec, emulator: CloudEmulator, action: string | undefined, request: EmulatorRequest): EmulatorResponse | 'drop' {
  const requestId = newRequestId();
  switch (fault.kind) {
    case 'throttle':
      return emulator.throttledResponse(action ?? 'Unknown', requestId, request);
    case 'server-error':
      return emulator.serverErrorResponse(action ?? 'Unknown', requestId, request);
    case 'drop-connection':
      return 'drop';
    case 'malformed-body':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"RequestId":"' + requestId + '","Key' };
    case 'denied':
      return emulator.deniedResponse(action ?? 'Unknown', requestId, request);
    case 'latency':
      throw new Error(`fault kind ${fault.kind} is not a response`);
    default:
      return unreachable(fault.kind, 'fault kind');
  }
}

function answerInspection(request: EmulatorRequest, options: CloudServerOptions, held: HeldRequests): EmulatorResponse {
  const cloud = options.emulator.cloud;
  const route = `${request.method} ${request.url.pathname.slice(INSPECTION_PREFIX.length)}`;
  try {
    switch (route) {
      case 'GET key-pairs':
        return json(200, { cloud, keyPairs: options.state.listKeyPairs(cloud) });
      case 'GET secrets':
        // Names, versions, status and tags; never values.
        return json(200, { cloud, secrets: options.state.listSecrets(cloud) });
      case 'POST reset':
        options.state.reset();
        options.faults.clear();
        held.drop();
        options.journal.clear();
        return json(200, { reset: true });
      case 'GET requests':
        return json(200, { cloud, requests: options.journal.list(cloud) });
      case 'GET faults':
        return json(200, { faults: options.faults.pending() });
      case 'POST faults': {
        const spec = JSON.parse(request.body || '{}') as Partial<FaultSpec>;
        // Nothing here releases a held request: holding is for startEmulator's callers.
        if (spec.hold) throw new Error('a held latency is set through startEmulator (injectFault, releaseHeldRequests), not here: give latencyMs');
        options.faults.add({ ...spec, cloud: spec.cloud ?? cloud } as FaultSpec);
        return json(200, { faults: options.faults.pending() });
      }
      case 'GET bindings':
        return json(200, { cloud, bindings: options.state.listBindings(cloud) });
      case 'POST bindings': {
        const spec = JSON.parse(request.body || '{}') as { keyPair?: string; instanceId?: string; deleteAttempts?: number };
        if (!spec.keyPair) throw new Error('body must name the key pair: {"keyPair":"<id or name>","instanceId":"i-…","deleteAttempts":3}');
        options.state.bind(cloud, spec.keyPair, spec.instanceId ?? DEFAULT_BOUND_INSTANCE, spec.deleteAttempts);
        return json(200, { cloud, bindings: options.state.listBindings(cloud) });
      }
      case 'POST bindings/release': {
        const spec = JSON.parse(request.body || '{}') as { keyPair?: string };
        if (!spec.keyPair) throw new Error('body must name the key pair: {"keyPair":"<id or name>"}');
        return json(200, { cloud, released: options.state.release(cloud, spec.keyPair) });
      }
      case 'POST tags': {
        const spec = JSON.parse(request.body || '{}') as { keyPair?: string; tags?: unknown };
        if (!spec.keyPair || spec.tags === null || typeof spec.tags !== 'object' || Array.isArray(spec.tags)) {
          throw new Error('body must name the key pair and give its new tags: {"keyPair":"<id or name>","tags":{"team":"infra"}}');
        }
        if (!options.emulator.keyPairsCarryTags) throw new Error(`${cloud} key pairs carry no tags`);
        return json(200, { cloud, keyPair: options.state.setTags(cloud, spec.keyPair, spec.tags as Record<string, string>) });
      }
      case 'GET health':
        return json(200, { cloud, healthy: true });
      default:
        return json(404, { error: `no inspection route ${route}; try GET key-pairs, GET secrets, POST reset, GET|POST faults, GET requests, GET|POST bindings, POST bindings/release, POST tags, GET health` });
    }
  } catch (err) {
    return json(400, { error: err instanceof Error ? err.message : String(err) });
  }
}

function json(status: number, value: unknown): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function send(res: http.ServerResponse, response: EmulatorResponse): void {
  res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
  res.end(response.body);
}

function newRequestId(): string {
  return randomUUID().toUpperCase();
}
