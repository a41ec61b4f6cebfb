// A real OpenID provider (the `oidc-provider` package) for the end-to-end tests, run as its
// own process on 127.0.0.1 so that Jest's module system never has to load it.
//
// Protocol with the test: it prints `issuer <url>` once listening, then reads one JSON line
// on stdin ({ redirectUri, clientId, clientSecret, accounts: { login: { password, email,
// email_verified, name } } }), and prints `ready` once the provider answers.
// The sign-in page checks the password, as a real provider does; consent is granted with it.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const escape = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

function loginPage(uid, clientId, error) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Test Identity Provider</title></head>
<body style="font-family:sans-serif;max-width:28rem;margin:4rem auto">
<h1>Test Identity Provider</h1>
<p>Sign in to continue to <strong>${escape(clientId)}</strong>.</p>
${error ? `<p role="alert" id="idp-error" style="color:#b00">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
  <label>Login <input id="idp-login" name="login" autocomplete="username" required></label><br><br>
  <label>Password <input id="idp-password" name="password" type="password" required></label><br><br>
  <button id="idp-submit" type="submit">Sign in</button>
</form></body></html>`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => {
      body += d;
      if (body.length > 10_000) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

let handler = (_req, res) => {
  res.statusCode = 503;
  res.end('starting');
};
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
process.stdout.write(`issuer ${issuer}\n`);

const lines = createInterface({ input: process.stdin });
const settings = JSON.parse(await new Promise((resolve) => lines.once('line', resolve)));

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const accounts = settings.accounts;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      redirect_uris: [settings.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [{ ...(await exportJWK(privateKey)), use: 'sig', alg: 'RS256', kid: 'e2e' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const account = accounts[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      claims: async () => ({
        sub,
        email: account.email,
        email_verified: account.email_verified,
        name: account.name,
      }),
    };
  },
});

const callback = provider.callback();
handler = async (req, res) => {
  const match = /^\/interaction\/([\w-]+)$/.exec(new URL(req.url, issuer).pathname);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      return res.end(loginPage(details.uid, details.params.client_id));
    }
    const form = await readBody(req);
    const login = form.get('login') ?? '';
    const account = accounts[login];
    if (!account || account.password !== form.get('password')) {
      res.statusCode = 401;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      return res.end(loginPage(details.uid, details.params.client_id, 'Wrong login or password.'));
    }
    const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  } catch (e) {
    res.statusCode = 400;
    res.end(`interaction failed: ${e.message}`);
  }
};
process.stdout.write('ready\n');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
