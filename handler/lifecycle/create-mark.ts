import * as fs from 'node:fs';
import type { LifecycleContext } from './context';
import { KEY_SOURCES } from '../../src/contract';

/**
 * The mark a create leaves beside its private key file while the key is on its way (`<privateKeyFile>.pending`,
 * no secret in it), for the two key sources whose create a killed runner can cut off halfway:
 * - a cloud-generated pair: a runner killed mid-apply after Terraform saved its state snapshot leaves the
 *   carrier recorded as created while its create never finished; the cloud may still make the pair, but its
 *   private key, handed out once, reached nobody. The mark tells the next read and steps on this machine that
 *   the pair under the name was made by that cut-off create and has no key: the read reports it missing (so
 *   the apply makes it again), and on a cloud without tags it proves the pair ours;
 * - a key generated here: it is written before its public half is imported, so a create killed in between
 *   leaves a key file and no pair. The mark tells the next create that the file is this construct's own key,
 *   not someone else's file it must never overwrite: that key is imported, and nothing is stuck.
 */
interface CreateMark {
  readonly owner: string;
  readonly keyPairName: string;
  readonly since: string;
}

/** Written just before a cloud-generated create is sent, or a key generated here is written. */
export function markCreateStarted(context: LifecycleContext): void {
  const file = markFile(context);
  if (file === undefined) return;
  const { owner, keyPairName } = context.inputs;
  const mark: CreateMark = { owner, keyPairName, since: new Date(context.clock.now()).toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(mark)}\n`, { mode: 0o600 });
}

/** Removed once the key is delivered, or once nothing the create made is left. */
export function clearCreateMark(context: LifecycleContext): void {
  const file = markFile(context);
  if (file !== undefined) fs.rmSync(file, { force: true });
}

/**
 * True when a create of this pair, on this machine, was sent and never delivered its key: our mark is there
 * and the key file is not. (A key file beside a mark means the create was cut off after the key arrived.)
 */
export function createWasCutOff(context: LifecycleContext): boolean {
  const file = markFile(context);
  if (file === undefined || fs.existsSync(context.inputs.privateKeyFile!)) return false;
  return isOurMark(context, file);
}

/**
 * True when the key file at the pair's path was written by a create of this pair, on this machine, that was cut
 * off before it finished (a key generated here: our mark beside the file).
 */
export function keyFileOfCutOffCreate(context: LifecycleContext): boolean {
  const file = markFile(context);
  if (file === undefined || context.inputs.keySource !== KEY_SOURCES.generate || !fs.existsSync(context.inputs.privateKeyFile!)) return false;
  return isOurMark(context, file);
}

function isOurMark(context: LifecycleContext, file: string): boolean {
  let mark: Partial<CreateMark>;
  try {
    mark = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CreateMark>;
  } catch {
    return false;
  }
  return mark.owner === context.inputs.owner && mark.keyPairName === context.inputs.keyPairName;
}

/** The key sources whose private key a create writes here: an import has none. */
function markFile(context: LifecycleContext): string | undefined {
  const { keySource, privateKeyFile } = context.inputs;
  return keySource !== KEY_SOURCES.import && privateKeyFile !== undefined ? `${privateKeyFile}.pending` : undefined;
}
