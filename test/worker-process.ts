// Real worker processes for integration tests: the worker compiled with swc and started with
// node, exactly as `npm start` runs it, so signals, crashes and Redis outages are real.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** Compiles the worker (and the libraries) into `dist/<name>`; returns the output folder. */
export function compileWorker(name: string): string {
  const outDir = join(root, 'dist', name);
  execFileSync(
    join(root, 'node_modules/.bin/swc'),
    ['apps/worker/src', 'libs', '--config-file', '.swcrc', '-d', outDir, '--quiet'],
    { cwd: root },
  );
  return outDir;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with `exited <code|signal>` once it has exited. */
  exited: Promise<string>;
}

/** Starts a worker and resolves once it says it is ready. */
export function startWorker(
  outDir: string,
  env: Record<string, string>,
  readyTimeoutMs = 120_000,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [join(outDir, 'apps/worker/src/main.js')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<string>((r) =>
    child.once('exit', (code, signal) => r(`exited ${code ?? signal}`)),
  );
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker did not start:\n${output}`));
    }, readyTimeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('ready')) {
        clearTimeout(timer);
        resolve({ child, output: () => output, exited });
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`worker ${how} before it was ready:\n${output}`));
    });
  });
}

/** SIGKILL, as a crash or an OOM kill would: no shutdown hooks run. */
export async function killWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await worker.exited;
}

/** Polls `check` until it returns something truthy; fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
