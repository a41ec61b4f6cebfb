import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../columns';

/** `viewer` reads what they are a member of and changes nothing (issue 14). */
export type UserRole = 'admin' | 'manager' | 'viewer';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Index('uq_users_email', { unique: true })
  @Column('varchar', { length: 320 })
  email!: string;

  @Column('varchar', { name: 'display_name', length: 200 })
  displayName!: string;

  /** scrypt$N$r$p$salt$hash — never leaves the service layer. */
  @Column('varchar', { name: 'password_hash', length: 512, select: false })
  passwordHash!: string;

  @Column('varchar', { length: 16 })
  role!: UserRole;

  @Column('boolean', { default: false })
  disabled!: boolean;

  @Column('bigint', { name: 'created_at', transformer: epochMs })
  createdAt!: number;

  @Column('bigint', { name: 'updated_at', transformer: epochMs })
  updatedAt!: number;
}
