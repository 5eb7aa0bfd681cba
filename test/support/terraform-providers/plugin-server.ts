import { mkdtempSync, rmSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { APP_PROTOCOL_VERSION, handshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from './go-plugin-handshake';
import { protocolRoot, serviceDefinition } from './grpc-service-definitions';
import goPluginProtocol from './protocol/go-plugin.proto';
import tfplugin5Protocol from './protocol/tfplugin5.proto';
import { errorDiagnostic, ProviderDefinition } from './provider-definition';
import { providerRpcHandlers } from './provider-service';
import { openRpcLog, RpcLog } from './rpc-log';
import { createServerCertificate } from './self-signed-certificate';

/** How long Shutdown waits for in-flight calls before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 200;
/** How often the plugin checks that Terraform, its parent, is still there. */
const PARENT_CHECK_INTERVAL_MS = 500;

/** OpenSSL's variables for its default trust store locations (see bindWithoutDefaultTrustStore). */
const OPENSSL_TRUST_STORE_VARIABLES = ['SSL_CERT_FILE', 'SSL_CERT_DIR'] as const;

/**
 * Serves a provider over go-plugin's gRPC transport as Terraform expects: cookie check, AutoMTLS with a
 * per-process certificate, a unix socket in a private temporary directory, exactly one handshake line
 * on stdout, and a prompt exit on Shutdown. The socket directory is removed on every exit path short
 * of SIGKILL, and the process exits by itself if Terraform goes away.
 */
export async function servePlugin(provider: ProviderDefinition): Promise<void> {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      `This binary is a plugin (the ${provider.name} provider stand-in). It is not meant to be executed directly;\n`
      + 'Terraform starts it. Run a Terraform command that uses the provider instead.\n',
    );
    process.exit(1);
  }
  const offeredVersions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? String(APP_PROTOCOL_VERSION)).split(',').map((version) => version.trim());
  if (!offeredVersions.includes(String(APP_PROTOCOL_VERSION))) {
    process.stderr.write(`Terraform offered plugin protocol versions ${offeredVersions.join(', ')}; this stand-in speaks only ${APP_PROTOCOL_VERSION}.\n`);
    process.exit(1);
  }

  const log = openRpcLog(provider.name);
  const socketDirectory = mkdtempSync(path.join(process.env.PLUGIN_UNIX_SOCKET_DIR || tmpdir(), 'tf-provider-'));
  installExitHandlers(socketDirectory, log);

  const server = new grpc.Server();
  const stdioStreams = new Set<grpc.ServerWritableStream<unknown, unknown>>();
  const goPlugin = protocolRoot(goPluginProtocol);
  server.addService(serviceDefinition(protocolRoot(tfplugin5Protocol), 'tfplugin5.Provider'), providerImplementation(provider, log));
  server.addService(serviceDefinition(goPlugin, 'plugin.GRPCController'), {
    Shutdown: (_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      log('Shutdown');
      callback(null, {});
      for (const stream of stdioStreams) stream.end();
      setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => process.exit(0));
    },
  });
  server.addService(serviceDefinition(goPlugin, 'plugin.GRPCStdio'), {
    // Kept open and silent: the stand-ins never write to stdout or stderr while serving.
    StreamStdio: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      stdioStreams.add(call);
      call.on('cancelled', () => stdioStreams.delete(call));
    },
  });

  const clientCertificate = process.env.PLUGIN_CLIENT_CERT;
  const serverCertificate = clientCertificate ? createServerCertificate() : undefined;
  const credentials = clientCertificate && serverCertificate
    ? grpc.ServerCredentials.createSsl(
      Buffer.from(clientCertificate),
      [{ private_key: Buffer.from(serverCertificate.privateKeyPem), cert_chain: Buffer.from(serverCertificate.certificatePem) }],
      true,
    )
    : grpc.ServerCredentials.createInsecure();

  const socketPath = path.join(socketDirectory, 'plugin.sock');
  await bindWithoutDefaultTrustStore(server, `unix:${socketPath}`, credentials);

  process.stdout.write(handshakeLine(socketPath, serverCertificate?.certificateDer));
  log(`serving on ${socketPath} (${serverCertificate ? 'mTLS' : 'plaintext'})`);
}

/**
 * Binds the server while OpenSSL's default trust store locations name nothing. The executable starts
 * Node with --use-openssl-ca (its `#!` line), so the first TLS context takes Node's root store from
 * those locations instead of parsing the ~140 certificates built into Node: that parse cost about 25 ms
 * of every plugin start, for certificates the server never uses (it trusts Terraform's certificate,
 * its `ca`). The variables are restored before the handshake, so no program the provider runs sees them.
 */
async function bindWithoutDefaultTrustStore(server: grpc.Server, address: string, credentials: grpc.ServerCredentials): Promise<void> {
  const saved = OPENSSL_TRUST_STORE_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of OPENSSL_TRUST_STORE_VARIABLES) process.env[name] = devNull;
  try {
    await new Promise<void>((resolve, reject) => server.bindAsync(address, credentials, (error) => (error ? reject(error) : resolve())));
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function providerImplementation(provider: ProviderDefinition, log: RpcLog): grpc.UntypedServiceImplementation {
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [rpcName, handler] of Object.entries(providerRpcHandlers(provider))) {
    implementation[rpcName] = (call: grpc.ServerUnaryCall<{ type_name?: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const typeName = call.request.type_name ? ` ${call.request.type_name}` : '';
      Promise.resolve()
        .then(() => handler(call.request))
        .then((response: { diagnostics?: Array<{ summary: string }> }) => {
          const summaries = (response.diagnostics ?? []).map((diagnostic) => diagnostic.summary);
          log(`${rpcName}${typeName}${summaries.length > 0 ? ` -> ${summaries.join('; ')}` : ''}`);
          callback(null, response);
        })
        .catch((error: unknown) => {
          // A bug in the stand-in surfaces as a Terraform error that names the RPC, not as a hang.
          log(`${rpcName}${typeName} failed: ${(error as Error).message}`);
          callback(null, { diagnostics: [errorDiagnostic('Provider stand-in failure', `${rpcName} failed: ${(error as Error).message}`)] });
        });
    };
  }
  return implementation;
}

function installExitHandlers(socketDirectory: string, log: RpcLog): void {
  process.on('exit', () => rmSync(socketDirectory, { recursive: true, force: true }));
  // Go plugins ignore Ctrl-C: Terraform forwards the interrupt as a Stop RPC instead.
  process.on('SIGINT', () => log('SIGINT ignored'));
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      log(`${signal}: exiting`);
      process.exit(0);
    });
  }
  const parentPid = process.ppid;
  setInterval(() => {
    if (process.ppid !== parentPid) {
      log('Terraform went away: exiting');
      process.exit(0);
    }
  }, PARENT_CHECK_INTERVAL_MS).unref();
}

/** Startup failures go to stderr, which Terraform shows; stdout is reserved for the handshake line. */
export function exitWithStartupError(error: unknown): never {
  process.stderr.write(`provider stand-in failed to start: ${(error as Error).message}\n`);
  process.exit(1);
}
