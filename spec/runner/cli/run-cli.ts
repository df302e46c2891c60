import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repo = join(__dirname, '..', '..', '..');
export const fixtures = join(__dirname, 'fixtures');

/** A CLI process still running after this long is killed (the specs' own timeout is 90 s). */
const KILL_AFTER_MS = 45_000;

/** The outcome of one `asphalt` process. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real `asphalt` binary (compiled dist/) as a child process. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult>; output: () => string } {
  const child = spawn(process.execPath, [join(repo, 'dist', 'lib', 'runner', 'cli', 'bin.js'), ...args], {
    cwd: repo,
    env: { ...process.env, ASPHALT_LOG_FORMAT: 'pretty', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A process that hangs is killed, so that its test fails (signal SIGKILL) instead of holding the run open.
  const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done, output: () => stdout + stderr };
}

/** Runs `asphalt ...args` to completion. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Resolves once the process has printed `text` (on stdout or stderr). */
export async function waitForOutput(output: () => string, text: string, ms = 40_000): Promise<void> {
  const until = Date.now() + ms;
  while (!output().includes(text)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(text)}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Writes files into a fresh temporary directory and returns their paths. */
export function writeConfigs(files: Record<string, string>): Record<string, string> & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'asphalt-cli-'));
  const paths: Record<string, string> = { dir };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text.replaceAll('FIXTURES', fixtures));
    paths[name] = join(dir, name);
  }
  return paths as Record<string, string> & { dir: string };
}
