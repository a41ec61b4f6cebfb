export {
  createJiraClient,
  JiraHttpError,
  JiraNetworkError,
  type JiraClient,
  type JiraClientOptions,
} from './client';
export { classifyJiraError, JiraConfigError } from './errors';
export { jiraConnector } from './connector';
export { testJiraConnection } from './connection-test';
export { jqlMinute, mapIssue, mapSprint, sprintAdditions, type JiraMapContext } from './mappers';
export { JIRA_OVERLAP_MS, readJiraCursor, syncJira, type JiraSyncCursor, type JiraSyncOptions } from './sync';
