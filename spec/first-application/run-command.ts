import { spawn } from 'node:child_process';

/** What a shell command did: its exit status and its stdout and stderr, interleaved. */
export interface CommandResult {
  readonly command: string;
  readonly status: number | null;
  readonly output: string;
}

/**
 * The environment of a user's shell: this process's, minus what `npm test` and Jest add (an
 * inherited `npm_config_*` would point the inner npm at this repository).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|JEST_WORKER_ID$|NODE_ENV$|NODE_OPTIONS$)/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs `command` with bash in `cwd`, as a user types it. */
export function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ command, status, output }));
  });
}

/** `text` with runs of blanks made one space, to compare aligned output such as Jest's summary. */
export function squeeze(text: string): string {
  return text.replace(/[ \t]+/g, ' ');
}
