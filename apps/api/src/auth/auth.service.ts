import {
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserEntity } from '@pulse/db';
import type { Role, UserDto } from '@pulse/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { badRequest } from '../common/validation';
import { passwordProblem } from '../users/password-policy';
import { hashPassword, verifyPassword } from './password';
import { toUserDto } from './session.service';

/** A 400 naming `newPassword` when it breaks the password rules. */
export function assertNewPassword(next: string, email: string, current?: string): void {
  const problem = passwordProblem(next, email);
  if (problem) throw badRequest([{ field: 'newPassword', message: problem }]);
  if (next === current)
    throw badRequest([{ field: 'newPassword', message: 'must differ from the current password' }]);
}

// Verifying against a real hash when the account is unknown keeps timing uniform.
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async verifyCredentials(email: string, password: string): Promise<UserDto> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.toLowerCase() })
      .getOne();
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH));
    if (!user || !ok || user.disabled) throw new UnauthorizedException('Wrong email or password');
    return toUserDto(user);
  }

  /** Own password change: the current password proves it is the account's owner at the keyboard. */
  async changePassword(user: UserDto, current: string, next: string, now = Date.now()): Promise<void> {
    const row = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: user.id })
      .getOne();
    if (!row || row.disabled) throw new UnauthorizedException('Sign in first: no valid session');
    assertNewPassword(next, row.email, current);
    if (!(await verifyPassword(current, row.passwordHash)))
      throw badRequest([
        { field: 'currentPassword', message: 'is wrong: enter the password you signed in with' },
      ]);
    await this.dataSource
      .getRepository(UserEntity)
      .update({ id: user.id }, { passwordHash: await hashPassword(next), updatedAt: now });
  }

  async createUser(input: {
    email: string;
    password: string;
    displayName: string;
    role: Role;
  }): Promise<UserDto> {
    const now = Date.now();
    const user: UserEntity = {
      id: randomUUID(),
      email: input.email.toLowerCase(),
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.dataSource.getRepository(UserEntity).insert(user);
    return toUserDto(user);
  }

  /** The first admin: from PULSE_ADMIN_EMAIL/PASSWORD, or generated and printed once. */
  async onApplicationBootstrap(): Promise<void> {
    const users = this.dataSource.getRepository(UserEntity);
    if ((await users.countBy({ role: 'admin' })) > 0) return;
    const email = (this.config.PULSE_ADMIN_EMAIL ?? 'admin@pulse.local').toLowerCase();
    const generated = !this.config.PULSE_ADMIN_PASSWORD;
    const password = this.config.PULSE_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
    await this.createUser({ email, password, displayName: 'Administrator', role: 'admin' });
    if (generated) {
      // Printed once, to the terminal only (not through the JSON logger), never stored in clear.
      process.stdout.write(
        `\n  First admin created: ${email} / ${password}\n  (shown once — change it, or set PULSE_ADMIN_EMAIL and PULSE_ADMIN_PASSWORD)\n\n`,
      );
    } else {
      this.logger.log(`first admin created: ${email}`);
    }
  }
}
