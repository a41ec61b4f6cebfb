// `npm test` must fail when installing dependencies rewrites package-lock.json (the committed
// lockfile would not be what other machines install), and a fresh checkout installs exactly
// the lockfile with `npm ci`. Runs scripts/lib.sh's ensure_deps in a scratch copy with a
// stand-in `npm` on PATH that records its calls, so nothing is really installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');

const FAKE_NPM = `#!/usr/bin/env bash
echo "$*" >> "$FAKE_NPM_LOG"
mkdir -p node_modules
if [ "$1" = install ] && [ "\${FAKE_NPM_REWRITES_LOCK:-}" = 1 ]; then
  echo '  "other-platform-optional": {}' >> package-lock.json
fi
`;

interface Run {
  status: number | null;
  stderr: string;
  npmCalls: string[];
}

function workspace(): { dir: string; run: (args: string[], env?: Record<string, string>) => Run } {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-lockfile-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(root, 'scripts/lib.sh'), join(dir, 'scripts/lib.sh'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "probe", "version": "1.0.0" }\n');
  writeFileSync(join(dir, 'package-lock.json'), '{ "name": "probe", "lockfileVersion": 3 }\n');
  writeFileSync(join(dir, 'bin/npm'), FAKE_NPM, { mode: 0o755 });
  const log = join(dir, 'npm-calls.log');
  writeFileSync(log, '');
  return {
    dir,
    run(args, env = {}) {
      const result = spawnSync('bash', ['-c', `source scripts/lib.sh && ensure_deps ${args.join(' ')}`], {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
          FAKE_NPM_LOG: log,
          ...env,
        },
      });
      const npmCalls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      writeFileSync(log, '');
      return { status: result.status, stderr: result.stderr, npmCalls };
    },
  };
}

describe('the lockfile check in ensure_deps', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fresh = () => {
    const ws = workspace();
    dirs.push(ws.dir);
    return ws;
  };

  it('installs a fresh checkout exactly from the lockfile with npm ci', () => {
    const ws = fresh();
    const run = ws.run(['--strict-lockfile']);
    expect(run.status).toBe(0);
    expect(run.npmCalls).toEqual([expect.stringMatching(/^ci\b/)]);
    // Installed once: the next run does nothing.
    expect(ws.run(['--strict-lockfile']).npmCalls).toEqual([]);
  });

  it('fails npm test with a clear message when installing rewrites package-lock.json', () => {
    const ws = fresh();
    mkdirSync(join(ws.dir, 'node_modules'));
    const run = ws.run(['--strict-lockfile'], { FAKE_NPM_REWRITES_LOCK: '1' });
    expect(run.npmCalls).toEqual([expect.stringMatching(/^install\b/)]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/changed package-lock\.json/);
    expect(run.stderr).toMatch(/commit it together with the package\.json change/);
  });

  it('passes when an install leaves the lockfile as it was', () => {
    const ws = fresh();
    mkdirSync(join(ws.dir, 'node_modules'));
    const run = ws.run(['--strict-lockfile']);
    expect(run.npmCalls).toEqual([expect.stringMatching(/^install\b/)]);
    expect(run.status).toBe(0);
  });

  it('npm start only notes the change (it must still start)', () => {
    const ws = fresh();
    mkdirSync(join(ws.dir, 'node_modules'));
    const run = ws.run([], { FAKE_NPM_REWRITES_LOCK: '1' });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/note: installing dependencies changed package-lock\.json/);
  });

  it('npm test asks for the strict check', () => {
    expect(readFileSync(join(root, 'scripts/test.sh'), 'utf8')).toMatch(/^ensure_deps --strict-lockfile$/m);
    expect(execFileSync('bash', ['-n', join(root, 'scripts/lib.sh')], { encoding: 'utf8' })).toBe('');
  });
});
