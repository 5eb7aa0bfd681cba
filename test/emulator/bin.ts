/**
 * The emulator's bin as its users start it (`cdktf-keypair-emulator`, the bundle `npx projen bundle` builds):
 * started with options, read until it prints that it serves.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { CloudName } from '../../src/contract';

export const EMULATOR_BIN = path.join(__dirname, '..', '..', 'assets', 'emulator', 'cli.js');

/** The line the bin prints once it serves. */
export interface EmulatorReady {
  readonly endpoints: Record<CloudName, string>;
  readonly environment: Record<string, string>;
  readonly pid: number;
}

/** The bin's process, started by `spawnEmulatorBin`. */
export interface EmulatorBinProcess {
  readonly child: ChildProcess;
  /** What it printed once it served; rejects, with what it wrote to stderr, if it exits first. */
  readonly ready: Promise<EmulatorReady>;
  /** Its exit code, or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** Everything it has written to stderr so far. */
  stderr(): string;
}

/** Resolves with the first line `child` prints; rejects if it exits first, with what it wrote to stderr meanwhile. */
export function firstLine(child: ChildProcess): Promise<string> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code, signal) => reject(new Error(`exited with ${code ?? signal} before a line${stderr ? `: ${stderr.trim()}` : ''}`)));
  });
}

/** Starts the bin with `args`. The process is the caller's to stop. */
export function spawnEmulatorBin(args: readonly string[]): EmulatorBinProcess {
  const child = spawn(process.execPath, [EMULATOR_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const ready = firstLine(child).then((line) => JSON.parse(line) as EmulatorReady);
  ready.catch(() => undefined); // a bin that is meant to fail is awaited through `exited` instead
  return { child, ready, exited, stderr: () => stderr };
}
