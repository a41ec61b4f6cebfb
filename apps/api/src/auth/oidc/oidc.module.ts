import { Module } from '@nestjs/common';
import { AuthModule } from '../auth.module';
import { OidcClientService } from './oidc-client.service';
import { OidcController } from './oidc.controller';
import { PendingSsoLoginStore } from './pending-sso-login.store';
import { SsoSignInService } from './sso-sign-in.service';

/** "Sign in with SSO" (OpenID Connect); its routes answer 404 while PULSE_OIDC_ISSUER is unset. */
@Module({
  imports: [AuthModule],
  controllers: [OidcController],
  providers: [OidcClientService, PendingSsoLoginStore, SsoSignInService],
})
export class OidcModule {}
