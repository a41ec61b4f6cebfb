import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserEntity } from '@pulse/db';
import { AuditService } from '../../audit/audit.service';
import { API_CONFIG, type ApiConfig } from '../../config/api-config';
import { SessionService } from '../session.service';
import { OidcClientService, SsoUnavailableError, type PendingSsoLogin } from './oidc-client.service';
import { acceptInvitationBySso, findPendingInvitation } from './sso-invitation';
import { decideSsoSignIn, type SsoFailure, type SsoRefusal } from './sso-sign-in.policy';

export type SsoOutcome =
  | { ok: true; userId: string; session: { token: string; expiresAt: number } }
  | { ok: false; reason: SsoRefusal | SsoFailure };

/**
 * Turns the provider's answer into a Pulse session, for people Pulse already knows: an
 * active user, or someone with a pending invitation (which the sign-in then accepts).
 * Every outcome about a person lands in the audit trail.
 */
@Injectable()
export class SsoSignInService {
  private readonly logger = new Logger('Oidc');

  constructor(
    private readonly client: OidcClientService,
    private readonly sessions: SessionService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async complete(callbackUrl: URL, pending: PendingSsoLogin, ip: string): Promise<SsoOutcome> {
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
    const invitation = email && !user ? await findPendingInvitation(this.dataSource, email) : null;
    const decision = decideSsoSignIn({
      identity,
      allowedDomains: this.config.PULSE_OIDC_ALLOWED_DOMAINS,
      account: user ? { id: user.id, disabled: user.disabled } : null,
      invited: !!invitation,
    });
    if (!decision.allowed) return this.refuse(decision.email, ip, decision.reason);

    let userId = decision.account?.id;
    let userEmail = decision.email;
    if (!userId && invitation) {
      const name = typeof identity.name === 'string' ? identity.name : undefined;
      const created = await acceptInvitationBySso(this.dataSource, invitation, name);
      if (!created) return this.refuse(decision.email, ip, 'not_invited');
      userId = created.id;
      userEmail = created.email;
      await this.audit.record(
        { id: created.id, email: created.email, ip },
        {
          action: 'invitation.accepted',
          target: { type: 'invitation', id: invitation.id },
          summary: { email: created.email, role: created.role, userId: created.id, method: 'sso' },
        },
      );
    }
    if (!userId) return this.refuse(decision.email, ip, 'not_invited');
    const session = await this.sessions.create(userId);
    await this.audit.record(
      { id: userId, email: userEmail, ip },
      { action: 'auth.sign_in', target: { type: 'user', id: userId }, summary: { method: 'sso' } },
    );
    return { ok: true, userId, session };
  }

  private async refuse(email: string | null, ip: string, reason: SsoRefusal): Promise<SsoOutcome> {
    await this.audit.record(
      { id: null, email, ip },
      { action: 'auth.sign_in_failed', summary: { method: 'sso', reason } },
    );
    return { ok: false, reason };
  }
}
