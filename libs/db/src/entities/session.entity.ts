import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../columns';

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored. */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn('varchar', { name: 'token_hash', length: 64 })
  tokenHash!: string;

  @Index('ix_sessions_user')
  @Column('varchar', { name: 'user_id', length: 36 })
  userId!: string;

  @Column('bigint', { name: 'created_at', transformer: epochMs })
  createdAt!: number;

  @Index('ix_sessions_expires')
  @Column('bigint', { name: 'expires_at', transformer: epochMs })
  expiresAt!: number;
}
