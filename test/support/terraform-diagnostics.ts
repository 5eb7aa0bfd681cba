/**
 * Reading Terraform's diagnostics out of a command's stderr, with or without colour and box drawing, and with
 * any TF_LOG lines mixed in.
 */

/** A line Terraform's log (TF_LOG) writes: a timestamp, then the level. */
const TRACE_LOG_LINE = /^\d{4}-\d\d-\d\dT[\d:.]+[+-Z][\d:]*\s+\[[A-Z]+\]/;

/** Terraform's diagnostics in a command's output (its TRACE log lines left out): one entry per `Error:` block, on one line. */
export function terraformErrors(stderr: string): string[] {
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of stderr.split('\n')) {
    if (TRACE_LOG_LINE.test(line)) continue;
    const text = line.replace(/^[│╷╵]\s?/, '');
    if (text.startsWith('Error: ')) {
      current = [text];
      blocks.push('');
    } else if (current && line.trim() !== '' && !/^[╷╵]/.test(line)) {
      current.push(text.trim());
    } else if (current && /^[╵]/.test(line)) {
      current = undefined;
    }
    if (current) blocks[blocks.length - 1] = current.join(' ');
  }
  return blocks;
}

/**
 * The one diagnostic about this resource address (e.g. `null_resource.x`); undefined when there is none, and
 * a line saying how many when there are several (an assertion on it then fails, naming the count).
 */
export function errorAbout(stderr: string, address: string): string | undefined {
  const about = terraformErrors(stderr).filter((block) => block.includes(`with ${address},`) || block.includes(`${address}:`));
  return about.length === 1 ? about[0] : about.length === 0 ? undefined : `${about.length} errors about ${address}`;
}
