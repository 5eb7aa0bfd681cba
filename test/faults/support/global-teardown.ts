import * as fs from 'node:fs';
import { EVIDENCE_DIRECTORY_ENV } from './evidence';

/** Removes the evidence directory (it holds the emulator's test secrets and the suite's private keys). */
export default function globalTeardown(): void {
  const directory = process.env[EVIDENCE_DIRECTORY_ENV];
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
}
