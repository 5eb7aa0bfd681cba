/**
 * Waiting on something another process does (a cloud emulator answering, Terraform writing its state), by
 * polling: the one place tests wait for a condition rather than for a fixed time.
 */

/** Polls until `condition` holds: true as soon as it does, false once `timeoutMs` has passed without it. */
export async function eventually(condition: () => boolean, timeoutMs = 10_000, intervalMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls until `condition` holds; throws, naming `what` was awaited, once `timeoutMs` has passed without it. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20_000, intervalMs = 20): Promise<void> {
  if (!(await eventually(condition, timeoutMs, intervalMs))) throw new Error(`timed out after ${timeoutMs / 1000} s waiting until ${what}`);
}
