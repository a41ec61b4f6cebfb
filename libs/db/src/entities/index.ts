import { ConnectionEntity } from './connection.entity';
import {
  ChatMessageEntity,
  CoverageSampleEntity,
  DeploymentEntity,
  IdentityHintEntity,
  KpiValueEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  SprintEntity,
  WorkItemEntity,
} from './records.entity';
import { DigestEntity, DigestSettingsEntity, type DigestStatus } from './digest.entity';
import { EngagementEntity } from './engagement.entity';
import { AuditEventEntity, EngagementMemberEntity, InvitationEntity } from './membership.entity';
import { PersonEntity } from './person.entity';
import { SessionEntity } from './session.entity';
import { ShareLinkEntity, UploadTokenEntity } from './share-link.entity';
import { SyncRunEntity } from './sync-run.entity';
import { ThresholdEntity } from './threshold.entity';
import { UserEntity } from './user.entity';

export {
  AuditEventEntity,
  EngagementMemberEntity,
  InvitationEntity,
  DigestEntity,
  DigestSettingsEntity,
  type DigestStatus,
  IdentityHintEntity,
  ShareLinkEntity,
  UploadTokenEntity,
  ChatMessageEntity,
  CoverageSampleEntity,
  DeploymentEntity,
  KpiValueEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  SprintEntity,
  WorkItemEntity,
  ConnectionEntity,
  EngagementEntity,
  PersonEntity,
  SessionEntity,
  SyncRunEntity,
  ThresholdEntity,
  UserEntity,
};

export const ENTITIES = [
  UserEntity,
  SessionEntity,
  EngagementEntity,
  ConnectionEntity,
  PersonEntity,
  ThresholdEntity,
  SyncRunEntity,
  PullRequestEntity,
  ReviewEntity,
  DeploymentEntity,
  ReleaseEntity,
  CoverageSampleEntity,
  WorkItemEntity,
  SprintEntity,
  ChatMessageEntity,
  KpiValueEntity,
  ShareLinkEntity,
  UploadTokenEntity,
  IdentityHintEntity,
  EngagementMemberEntity,
  InvitationEntity,
  AuditEventEntity,
  DigestSettingsEntity,
  DigestEntity,
];
