import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/*
 * Test servers must not outlive the process that started them. A normal exit runs the 'exit'
 * hook; a SIGKILLed Jest worker runs nothing, so a detached shell holds the other end of a pipe
 * and kills what is still registered when the pipe closes.
 */
const WATCHDOG_SCRIPT = `
entries=""
while read -r op pid dir; do
  case "$op" in
    add) entries="$entries
$pid $dir" ;;
    del) entries=$(printf '%s\\n' "$entries" | grep -v "^$pid ") ;;
  esac
done
printf '%s\\n' "$entries" | while read -r pid dir; do
  [ -n "$pid" ] || continue
  kill -KILL "$pid" 2>/dev/null
  if [ -n "$dir" ]; then sleep 0.2; rm -rf "$dir"; fi
done
`;

const tracked = new Map<number, string | undefined>();
let watchdog: ChildProcess | undefined;

function startWatchdog(): ChildProcess {
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  child.unref();
  child.stdin?.on('error', () => undefined);
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  process.once('exit', reapAllNow);
  return child;
}

function reapAllNow(): void {
  for (const [pid, dir] of tracked) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    if (dir) removeQuietly(dir);
  }
  tracked.clear();
}

function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // the watchdog retries once the process is surely dead
  }
}

/** Kill `pid` (and remove `tempDir`) if this process ends before `untrack` is called. */
export function trackChildProcess(pid: number, tempDir?: string): void {
  watchdog ??= startWatchdog();
  tracked.set(pid, tempDir);
  watchdog.stdin?.write(`add ${pid} ${tempDir ?? ''}\n`);
}

export function untrackChildProcess(pid: number): void {
  tracked.delete(pid);
  watchdog?.stdin?.write(`del ${pid}\n`);
}
