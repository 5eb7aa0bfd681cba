/**
 * The last line of a switch or if/else over a closed union (CloudName, KeySourceName, HandlerCommand, ...):
 * `value` has type `never` only when every case above handled it, so a new member fails to compile until
 * each such branch names it, where a `default:` would have quietly given it another member's path.
 */
export function unreachable(value: never, what: string): never {
  throw new Error(`unknown ${what} "${String(value)}"`);
}
