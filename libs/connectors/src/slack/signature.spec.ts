import { signSlackRequest, slackSignature, verifySlackSignature } from './signature';

// The worked example of Slack's "Verifying requests from Slack" page: an independent check
// that our HMAC input is byte-for-byte what Slack signs.
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = '1531420618';
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('Slack request signatures', () => {
  it("computes the signature of Slack's documented example", () => {
    expect(slackSignature(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).toBe(DOC_SIGNATURE);
    expect(slackSignature(DOC_SECRET, DOC_TIMESTAMP, Buffer.from(DOC_BODY))).toBe(DOC_SIGNATURE);
  });

  const nowMs = Number(DOC_TIMESTAMP) * 1000 + 10_000;
  const check = (over: Partial<Parameters<typeof verifySlackSignature>[0]>) =>
    verifySlackSignature({
      signingSecret: DOC_SECRET,
      timestamp: DOC_TIMESTAMP,
      signature: DOC_SIGNATURE,
      rawBody: DOC_BODY,
      nowMs,
      ...over,
    });

  it('accepts the documented request within five minutes of its timestamp', () => {
    expect(check({})).toEqual({ ok: true, timestamp: Number(DOC_TIMESTAMP) });
    expect(check({ nowMs: Number(DOC_TIMESTAMP) * 1000 - 299_000 }).ok).toBe(true);
  });

  it('refuses a stale or future request before looking at the signature', () => {
    const stale = check({ nowMs: Number(DOC_TIMESTAMP) * 1000 + 301_000 });
    expect(stale).toMatchObject({ ok: false, problem: 'stale' });
    expect(check({ nowMs: Number(DOC_TIMESTAMP) * 1000 - 301_000 })).toMatchObject({ problem: 'stale' });
  });

  it('refuses a changed body, a wrong secret, a truncated or missing signature', () => {
    expect(check({ rawBody: DOC_BODY.replace('foobar', 'foobaz') })).toMatchObject({ problem: 'mismatch' });
    expect(check({ signingSecret: `${DOC_SECRET}x` })).toMatchObject({ problem: 'mismatch' });
    expect(check({ signature: DOC_SIGNATURE.slice(0, -1) })).toMatchObject({ problem: 'mismatch' });
    expect(check({ signature: undefined })).toMatchObject({ problem: 'missing' });
    expect(check({ timestamp: '15314e8' })).toMatchObject({ problem: 'missing' });
  });

  it('signs what it verifies', () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc' });
    const headers = signSlackRequest('secret-1', body, 1_800_000_000_000);
    expect(headers['x-slack-request-timestamp']).toBe('1800000000');
    expect(
      verifySlackSignature({
        signingSecret: 'secret-1',
        timestamp: headers['x-slack-request-timestamp'],
        signature: headers['x-slack-signature'],
        rawBody: body,
        nowMs: 1_800_000_000_000,
      }).ok,
    ).toBe(true);
  });
});
