// Invitation and reset links by e-mail: the real API sends through nodemailer to a local SMTP
// sink (smtp-server) started here, which records what it received.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { IssuedInvitationDto } from '@pulse/contracts';
import { ADMIN, startApi, type ApiHarness } from '../../../../test/api-harness';

interface Received {
  from: string;
  to: string[];
  body: string;
  user?: string;
}

/** A local SMTP server that accepts mail (with or without sign-in) and keeps it. */
async function startSink(options: { user?: string; pass?: string } = {}) {
  const received: Received[] = [];
  let closing: Promise<void> | undefined;
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', ...(options.user ? [] : ['AUTH'])],
    authOptional: !options.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          body: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        });
        waiters.splice(0).forEach((w) => w());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    /** Resolves once `n` messages have arrived. */
    async until(n: number): Promise<Received[]> {
      while (received.length < n) await new Promise<void>((r) => waiters.push(r));
      return received;
    },
    close: () => (closing ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

/** A quoted-printable body, decoded, with soft line breaks removed. */
const decode = (body: string) =>
  body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe('invitation e-mail through a local SMTP sink', () => {
  let sink: Awaited<ReturnType<typeof startSink>>;
  let api: ApiHarness;

  beforeAll(async () => {
    sink = await startSink({ user: 'pulse-relay', pass: 'relay password 123' });
    api = await startApi('sqlite', {
      PULSE_PUBLIC_URL: 'http://pulse.example.com',
      PULSE_SMTP_HOST: '127.0.0.1',
      PULSE_SMTP_PORT: String(sink.port),
      PULSE_SMTP_USER: 'pulse-relay',
      PULSE_SMTP_PASSWORD: 'relay password 123',
      PULSE_SMTP_FROM: 'Pulse <pulse@example.com>',
    });
  });
  afterAll(async () => {
    await api?.close();
    await sink?.close();
  });

  it('sends the invitation link to the invited address, signed in to the relay', async () => {
    const admin = await api.signIn(ADMIN.email, ADMIN.password);
    const res = await admin
      .post('/api/users')
      .send({ email: 'tess@example.com', role: 'manager' })
      .expect(201);
    const issued = res.body as IssuedInvitationDto;
    expect(issued.email).toEqual({ sent: true });
    const [mail] = await sink.until(1);
    expect(mail).toMatchObject({ from: 'pulse@example.com', to: ['tess@example.com'], user: 'pulse-relay' });
    const text = decode(mail!.body);
    expect(text).toContain('Subject: You are invited to Pulse');
    expect(text).toContain(`http://pulse.example.com/invitations/${issued.token}`);
    expect(text).toContain('as manager');
  });

  it('sends reset links too', async () => {
    const admin = await api.signIn(ADMIN.email, ADMIN.password);
    const { user } = await api.createUser('viewer');
    const res = await admin.post(`/api/users/${user.id}/reset-link`).expect(201);
    expect(res.body.email).toEqual({ sent: true });
    const mails = await sink.until(2);
    expect(mails[1]!.to).toEqual([user.email]);
    expect(decode(mails[1]!.body)).toContain(`/invitations/${res.body.token as string}`);
  });

  it('when the relay is down, the admin still gets the link and is told the mail failed', async () => {
    const port = sink.port;
    await sink.close();
    const down = await startApi('sqlite', {
      PULSE_SMTP_HOST: '127.0.0.1',
      PULSE_SMTP_PORT: String(port),
      PULSE_SMTP_FROM: 'pulse@example.com',
    });
    try {
      const admin = await down.signIn(ADMIN.email, ADMIN.password);
      const res = await admin
        .post('/api/users')
        .send({ email: 'uma@example.com', role: 'viewer' })
        .expect(201);
      expect(res.body.email.sent).toBe(false);
      expect(res.body.email.error).toMatch(/could not be sent.*give the person the link yourself/);
      expect(res.body.url).toContain(res.body.token);
      await down
        .http()
        .get(`/api/invitations/${res.body.token as string}`)
        .expect(200);
    } finally {
      await down.close();
    }
  });
});
