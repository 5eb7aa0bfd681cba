import * as fs from 'node:fs';

/** Whether process `pid` still runs. A zombie does not: it has exited, and lingers only until its parent reaps it. */
export function processIsRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
  } catch {
    // No /proc (macOS), or the process is gone: ask the kernel.
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
