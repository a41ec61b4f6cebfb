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
import { hashPassword, verifyPassword } from './password';
import { toUserDto } from './session.service';

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
