export {
  createGithubClient,
  type GithubCallStats,
  type GithubClient,
  type GithubClientOptions,
  type GithubRateLimitEvent,
} from './client';
export { classifyGithubError, type ClassifyContext, type GithubSyncError } from './errors';
export { commitIdentities, isBotActor, type GithubIdentityHint, type GithubReviewRecord } from './mappers';
export {
  readGithubCursor,
  syncGithub,
  testGithubConnection,
  type GithubConnectionTest,
  type GithubPageBatch,
  type GithubPendingDeployment,
  type GithubRepoCursor,
  type GithubSyncCounts,
  type GithubSyncCursor,
  type GithubSyncOptions,
  type GithubSyncPhase,
  type GithubSyncProgress,
  type GithubSyncResult,
  type GithubSyncSink,
  type GithubWalkCursor,
} from './sync';
