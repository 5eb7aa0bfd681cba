import { ChildProcess, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { eventually } from '../support/eventually';
import { processIsRunning } from '../support/processes';
import { TerraformWorkspace } from '../support/terraform';
import { buildMirror } from '../support/terraform-providers/build-mirror';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../support/terraform-providers/go-plugin-handshake';
import { DEFAULT_MIRROR_DIRECTORY, executablePath, STAND_IN_PROVIDERS } from '../support/terraform-providers/mirror-layout';
import { createServerCertificate } from '../support/terraform-providers/self-signed-certificate';

// The null provider executable driven directly, as go-plugin drives it: handshake, mTLS, signals, Shutdown.
const NULL_PROVIDER = executablePath(DEFAULT_MIRROR_DIRECTORY, STAND_IN_PROVIDERS.find((provider) => provider.type === 'null')!);
const PROTOCOL_DIRECTORY = path.join(__dirname, '..', 'support', 'terraform-providers', 'protocol');
const definitions = loadSync([path.join(PROTOCOL_DIRECTORY, 'tfplugin5.proto'), path.join(PROTOCOL_DIRECTORY, 'go-plugin.proto')], {
  keepCase: true,
  longs: String,
  defaults: false,
});
const ProviderClient = grpc.makeGenericClientConstructor(definitions['tfplugin5.Provider'] as grpc.ServiceDefinition, 'Provider');
const ControllerClient = grpc.makeGenericClientConstructor(definitions['plugin.GRPCController'] as grpc.ServiceDefinition, 'GRPCController');

/** Terraform's side of AutoMTLS: its own client certificate, announced to the plugin in PLUGIN_CLIENT_CERT. */
const terraformCertificate = createServerCertificate();

interface RunningPlugin {
  readonly child: ChildProcess;
  readonly handshake: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

async function startPlugin(tempDirectory: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningPlugin> {
  const child = spawn(NULL_PROVIDER, [], {
    env: {
      PATH: process.env.PATH,
      TMPDIR: tempDirectory,
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: '6,5',
      PLUGIN_CLIENT_CERT: terraformCertificate.certificatePem,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout })));
  const line = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      if (stdout.includes('\n')) {
        clearInterval(poll);
        resolve(stdout.slice(0, stdout.indexOf('\n')));
      }
    }, 10);
    child.on('close', () => {
      clearInterval(poll);
      reject(new Error(`plugin exited before its handshake; stdout: ${stdout}`));
    });
  });
  return { child, handshake: line.split('|'), exited };
}

function clientOptions(serverCertificateDer: Buffer, clientCertificate = terraformCertificate) {
  const serverPem = new X509Certificate(serverCertificateDer).toString();
  const credentials = grpc.credentials.createSsl(
    Buffer.from(serverPem),
    Buffer.from(clientCertificate.privateKeyPem),
    Buffer.from(clientCertificate.certificatePem),
  );
  return { credentials, options: { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' } };
}

function call<T>(client: grpc.Client, method: string, request: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const unary = (client as unknown as Record<string, (req: object, cb: (error: Error | null, response: T) => void) => void>)[method];
    unary.call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

describe('the provider plugin process', () => {
  let tempDirectory: string;

  beforeAll(async () => {
    await buildMirror();
  });

  beforeEach(() => {
    tempDirectory = mkdtempSync(path.join(tmpdir(), 'plugin-process-test-'));
  });

  afterEach(() => rmSync(tempDirectory, { recursive: true, force: true }));

  test('refuses to run without the magic cookie and prints nothing on stdout', async () => {
    // WHEN
    const child = spawn(NULL_PROVIDER, [], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    // THEN
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('not meant to be executed directly');
  });

  test('handshakes over a private unix socket with a certificate for localhost, serves over mTLS, ignores SIGINT and exits on Shutdown', async () => {
    // GIVEN
    const plugin = await startPlugin(tempDirectory);
    const [core, app, network, socketPath, protocol, certificate] = plugin.handshake;
    const serverCertificateDer = Buffer.from(certificate, 'base64');
    const { credentials, options } = clientOptions(serverCertificateDer);
    const provider = new ProviderClient(`unix:${socketPath}`, credentials, options);
    const controller = new ControllerClient(`unix:${socketPath}`, credentials, options);

    // WHEN
    const schema = await call<{ resource_schemas: Array<{ key: string; value: { block: { attributes: Array<{ name: string; type: Buffer }> } } }> }>(
      provider, 'GetSchema', {});
    plugin.child.kill('SIGINT');
    const stop = await call<{ Error?: string }>(provider, 'Stop', {});
    // Nothing else ends the process here: without its Shutdown handler the test would time out.
    await call(controller, 'Shutdown', {});
    const exit = await plugin.exited;
    provider.close();
    controller.close();

    // THEN
    expect([core, app, network, protocol]).toEqual(['1', '5', 'unix', 'grpc']);
    expect(certificate).not.toMatch(/=$/);
    expect(new X509Certificate(serverCertificateDer).checkHost('localhost')).toBe('localhost');
    expect(path.dirname(path.dirname(socketPath))).toBe(tempDirectory);
    const nullResource = schema.resource_schemas.find((entry) => entry.key === 'null_resource');
    expect(nullResource?.value.block.attributes.map((attribute) => [attribute.name, JSON.parse(attribute.type.toString())])).toEqual([
      ['id', 'string'],
      ['triggers', ['map', 'string']],
    ]);
    expect(stop.Error ?? '').toBe('');
    expect(exit).toEqual({ code: 0, signal: null, stdout: `${plugin.handshake.join('|')}\n` });
    expect(readdirSync(tempDirectory)).toEqual([]);
  });

  test('refuses a client whose certificate Terraform did not announce', async () => {
    // GIVEN
    const plugin = await startPlugin(tempDirectory);
    const { credentials, options } = clientOptions(Buffer.from(plugin.handshake[5], 'base64'), createServerCertificate());
    const impostor = new ProviderClient(`unix:${plugin.handshake[3]}`, credentials, options);

    // WHEN
    const attempt = call(impostor, 'GetSchema', {});

    // THEN
    await expect(attempt).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    impostor.close();
    plugin.child.kill('SIGTERM');
    await plugin.exited;
  });

  test('SIGTERM removes the socket directory, and the workspace leftover check sees a live plugin until then', async () => {
    // GIVEN
    const workspace = await TerraformWorkspace.create();
    const plugin = await startPlugin(workspace.tempDirectory, workspace.environment);
    const whileRunning = workspace.leftovers();

    // WHEN
    plugin.child.kill('SIGTERM');
    const exit = await plugin.exited;

    // THEN
    expect(whileRunning.pluginProcesses).toEqual([plugin.child.pid]);
    expect(whileRunning.tempEntries).toEqual([expect.stringMatching(/^tf-provider-/)]);
    expect(exit.code).toBe(0);
    expect(existsSync(plugin.handshake[3])).toBe(false);
    expect(workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
    workspace.dispose();
  });

  test('exits by itself, removing its socket directory, when Terraform (its parent) goes away', async () => {
    // GIVEN a parent shell that starts the plugin, waits for its handshake line and exits without stopping it
    const handshakeFile = path.join(mkdtempSync(path.join(tmpdir(), 'plugin-handshake-')), 'handshake');
    // (The wait is bounded only so that a plugin that never starts cannot leave the shell looping.)
    const waitForHandshake = 'tries=0; while [ ! -s "$1" ] && [ $tries -lt 1200 ]; do sleep 0.05; tries=$((tries + 1)); done';
    const parent = spawn('sh', ['-c', `"$0" >"$1" & echo $!; ${waitForHandshake}`, NULL_PROVIDER, handshakeFile], {
      env: {
        PATH: process.env.PATH,
        TMPDIR: tempDirectory,
        [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
        PLUGIN_CLIENT_CERT: terraformCertificate.certificatePem,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await new Promise((resolve) => parent.on('close', resolve));
    const pluginPid = Number(output.trim());

    // WHEN the plugin is left behind (it checks for its parent periodically)
    await eventually(() => !processIsRunning(pluginPid), 60_000);
    const stillAlive = processIsRunning(pluginPid);
    if (stillAlive) process.kill(pluginPid, 'SIGKILL');
    rmSync(path.dirname(handshakeFile), { recursive: true, force: true });

    // THEN
    expect(stillAlive).toBe(false);
    expect(readdirSync(tempDirectory)).toEqual([]);
  });
});
