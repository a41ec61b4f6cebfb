// Starts the real OpenID provider of test/e2e/oidc-provider.mjs in its own process and
// configures it once the relying party's address is known.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface ProviderAccount {
  password: string;
  email: string;
  email_verified: boolean;
  name: string;
}

export interface OidcProviderProcess {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers Pulse's redirect URI and the accounts; resolves once the provider answers. */
  configure(redirectUri: string, accounts: Record<string, ProviderAccount>): Promise<void>;
  close(): Promise<void>;
}

export async function startOidcProvider(timeoutMs = 60_000): Promise<OidcProviderProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'e2e/oidc-provider.mjs')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`OpenID provider did not print ${pattern}:\n${output}\n${errors}`));
      }, timeoutMs);
      const check = () => {
        const m = pattern.exec(output);
        if (!m) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(m);
      };
      const onData = (d: Buffer) => {
        output += d.toString();
        check();
      };
      const onExit = () => {
        clearTimeout(timer);
        reject(new Error(`OpenID provider exited:\n${output}\n${errors}`));
      };
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
      check();
    });
  const issuer = (await waitFor(/issuer (\S+)\n/))[1]!;
  const clientId = 'pulse-e2e';
  const clientSecret = randomBytes(24).toString('base64url');
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    issuer,
    clientId,
    clientSecret,
    async configure(redirectUri, accounts) {
      child.stdin!.write(`${JSON.stringify({ redirectUri, clientId, clientSecret, accounts })}\n`);
      await waitFor(/^ready$/m);
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
