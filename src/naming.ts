import { createHash } from 'crypto';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/** First hex digits of the SHA-256 of a construct's full path: stable across synths and machines. */
export function pathHash(construct: Construct, digits: number): string {
  return createHash('sha256').update(construct.node.path).digest('hex').slice(0, digits);
}

/** The ids from below the construct's stack down to the construct itself. */
function pathInStack(construct: Construct): string[] {
  const stack = TerraformStack.of(construct);
  const scopes = construct.node.scopes;
  return scopes.slice(scopes.indexOf(stack) + 1).map((scope) => scope.node.id);
}

const NAME_TAIL_LENGTH = 16;

/**
 * The key pair name used when none is given: the construct's id reduced to letters, digits and
 * underscores (at most 16, starting with a letter), `_`, and 8 hex digits of the hash of the construct's
 * full path (stack included, so two stacks in one account do not collide). At most 25 characters of
 * `[A-Za-z0-9_]` starting with a letter: valid under every cloud's create and import rules, Tencent's
 * 25-character limit included.
 */
export function defaultKeyPairName(construct: Construct): string {
  let tail = construct.node.id.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[A-Za-z]/.test(tail)) tail = `kp_${tail}`.replace(/_+$/, '');
  tail = tail.slice(0, NAME_TAIL_LENGTH).replace(/_+$/, '');
  return `${tail}_${pathHash(construct, 8)}`;
}


/**
 * The stem of the construct's Terraform output names: its path below the stack with `/` and every
 * character Terraform identifiers refuse turned into `_` (`team/bastion` → `team_bastion`), and a leading
 * `_` when the path starts with a digit.
 */
export function outputNameStem(construct: Construct): string {
  const stem = pathInStack(construct).join('_').replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[0-9-]/.test(stem) ? `_${stem}` : stem;
}

/**
 * Values that must be unique within one stack (key pair names per cloud location, output names), each
 * remembered with the path of the construct that claimed it.
 */
const claims = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * Claims `key` in the construct's stack: the path of the construct that already holds it, or undefined
 * when it was free (and now belongs to `construct`).
 */
export function claimInStack(construct: Construct, key: string): string | undefined {
  const stack = TerraformStack.of(construct);
  let stackClaims = claims.get(stack);
  if (stackClaims === undefined) {
    stackClaims = new Map();
    claims.set(stack, stackClaims);
  }
  const holder = stackClaims.get(key);
  if (holder !== undefined && holder !== construct.node.path) return holder;
  stackClaims.set(key, construct.node.path);
  return undefined;
}
