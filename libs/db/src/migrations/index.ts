import { InitialSchema1795330800000 } from './1795330800000-initial-schema';
import { NormalizedRecords1795334400000 } from './1795334400000-normalized-records';
import { ShareLinks1795338000000 } from './1795338000000-share-links';
import { IdentityHints1795341600000 } from './1795341600000-identity-hints';
import { EngagementScheduleError1795400000000 } from './1795400000000-engagement-schedule-error';
import { BugLabelLists1795410000000 } from './1795410000000-bug-label-lists';
import { HonestHealth1795440000000 } from './1795440000000-honest-health';
import { WorkItemReopens1795450000000 } from './1795450000000-work-item-reopens';
import { ReadPathIndexes1795460000000 } from './1795460000000-read-path-indexes';
import { RosterTombstones1795470000000 } from './1795470000000-roster-tombstones';
import { ConnectionStatusNote1795600000000 } from './1795600000000-connection-status-note';
import { UsersTeamsAudit1795800000000 } from './1795800000000-users-teams-audit';
import { IdentityHintHashes1795900000000 } from './1795900000000-identity-hint-hashes';
import { KpiValuesVersionIndex1796000000000 } from './1796000000000-kpi-values-version-index';
import { SlackDigests1795750000000 } from './1795750000000-slack-digests';
import { ChatMessageFlags1795700000000 } from './1795700000000-chat-message-flags';

/** Every migration, oldest first. New migrations are appended here. */
export const MIGRATIONS = [
  InitialSchema1795330800000,
  NormalizedRecords1795334400000,
  ShareLinks1795338000000,
  IdentityHints1795341600000,
  EngagementScheduleError1795400000000,
  BugLabelLists1795410000000,
  HonestHealth1795440000000,
  WorkItemReopens1795450000000,
  ReadPathIndexes1795460000000,
  RosterTombstones1795470000000,
  ConnectionStatusNote1795600000000,
  ChatMessageFlags1795700000000,
  SlackDigests1795750000000,
  UsersTeamsAudit1795800000000,
  IdentityHintHashes1795900000000,
  KpiValuesVersionIndex1796000000000,
];
