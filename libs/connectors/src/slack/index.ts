export * from './signature';
export { createSlackClient, type SlackClient, type SlackClientOptions } from './client';
export { classifySlackError } from './errors';
export { slackConnector } from './connector';
export { testSlackConnection } from './connection-test';
export {
  compareSlackTs,
  isSlackTs,
  mapSlackMessage,
  slackMessageMeta,
  slackPermalink,
  slackTsToMs,
  threadHasNewReplies,
  type SlackMessageMeta,
} from './mappers';
export {
  messagesPerPage,
  realClock,
  documentedTier,
  requestsPerMinute,
  SlackBudgetSpent,
  SlackPacer,
  type SlackAppClass,
  type SlackClock,
} from './pacer';
export {
  readSlackCursor,
  syncSlack,
  SLACK_RUN_BUDGET_MS,
  type SlackSyncCursor,
  type SlackSyncOptions,
} from './sync';
export {
  isMembershipRecord,
  mapSlackMemberEvent,
  MEMBERSHIP_MATCH_WINDOW_MS,
  MEMBERSHIP_SUBTYPES,
  type SlackMemberEventMeta,
} from './membership';
