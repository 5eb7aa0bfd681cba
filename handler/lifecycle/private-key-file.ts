import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SecretValue } from '../clouds/credentials';

/** Owner read/write only: an SSH client refuses a private key anyone else can read. */
const PRIVATE_KEY_MODE = 0o600;

/** A private key destination that cannot be used; says why without quoting any key. */
export class PrivateKeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrivateKeyFileError';
  }
}

/**
 * Checks, before any cloud call, that the private key can be written to `file`: its directory exists or can
 * be made, and `file` is not a directory. Returns whether a file is already there (the caller decides
 * whether it is ours to adopt; it is never overwritten).
 */
export function preparePrivateKeyDestination(file: string): { readonly exists: boolean } {
  const directory = path.dirname(file);
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    fs.accessSync(directory, fs.constants.W_OK);
  } catch (err) {
    throw new PrivateKeyFileError(`cannot write the private key into ${directory}: ${(err as NodeJS.ErrnoException).code ?? 'not writable'}`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { exists: false };
  }
  if (stat.isDirectory()) throw new PrivateKeyFileError(`the private key destination ${file} is a directory`);
  return { exists: true };
}

/**
 * Writes the private key atomically with mode 0600, never replacing an existing file: the key goes to a
 * temporary file in the same directory, is flushed, then hard-linked into place (a link fails if the name
 * is taken, where a rename would silently overwrite).
 */
export function writePrivateKeyFile(file: string, privateKey: SecretValue): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const descriptor = fs.openSync(temporary, 'wx', PRIVATE_KEY_MODE);
  try {
    const text = privateKey.reveal();
    fs.writeSync(descriptor, text.endsWith('\n') ? text : `${text}\n`);
    fs.fchmodSync(descriptor, PRIVATE_KEY_MODE); // the umask may have narrowed nothing, but never widen
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
  try {
    fs.linkSync(temporary, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PrivateKeyFileError(
      code === 'EEXIST' ? `${file} appeared while the key pair was being created; it was not overwritten` : `cannot write ${file}: ${code}`,
    );
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** The private key in `file`, or undefined when there is none. */
export function readPrivateKeyFile(file: string): SecretValue | undefined {
  try {
    return new SecretValue(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function removePrivateKeyFile(file: string): void {
  fs.rmSync(file, { force: true });
}
