import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserEntity } from '@pulse/db';
import { API_CONFIG, type ApiConfig } from '../../config/api-config';
import { SessionService } from '../session.service';
import { OidcClientService, SsoUnavailableError, type PendingSsoLogin } from './oidc-client.service';
import { decideSsoSignIn, type SsoFailure, type SsoRefusal } from './sso-sign-in.policy';

export type SsoOutcome =
  | { ok: true; userId: string; session: { token: string; expiresAt: number } }
  | { ok: false; reason: SsoRefusal | SsoFailure };

/** Turns the provider's answer into a Pulse session, for people Pulse already knows. */
@Injectable()
export class SsoSignInService {
  private readonly logger = new Logger('Oidc');

  constructor(
    private readonly client: OidcClientService,
    private readonly sessions: SessionService,
    private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async complete(callbackUrl: URL, pending: PendingSsoLogin, _ip: string): Promise<SsoOutcome> {
    let identity: Record<string, unknown>;
    try {
      identity = await this.client.finish(callbackUrl, pending);
    } catch (e) {
      if (e instanceof SsoUnavailableError) return { ok: false, reason: 'unavailable' };
      // state/nonce/PKCE/signature mismatches land here; the detail is for the operator only
      this.logger.warn(`SSO callback refused: ${e instanceof Error ? e.message : String(e)}`);
      return { ok: false, reason: 'failed' };
    }
    const email = typeof identity.email === 'string' ? identity.email.toLowerCase() : null;
    const user = email ? await this.dataSource.getRepository(UserEntity).findOneBy({ email }) : null;
    const decision = decideSsoSignIn({
      identity,
      allowedDomains: this.config.PULSE_OIDC_ALLOWED_DOMAINS,
      account: user ? { id: user.id, disabled: user.disabled } : null,
      invited: false,
    });
    if (!decision.allowed) return { ok: false, reason: decision.reason };
    if (!decision.account) return { ok: false, reason: 'not_invited' };
    const session = await this.sessions.create(decision.account.id);
    return { ok: true, userId: decision.account.id, session };
  }
}
