// Internal model of the simulated Jira data.
import { type Person, type Scenario } from '../core/world.model';

export interface JiraStatus {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

export const JIRA_STATUSES: Record<'todo' | 'inProgress' | 'inReview' | 'done' | 'reopened', JiraStatus> = {
  todo: { id: '10000', name: 'To Do', category: 'new' },
  inProgress: { id: '3', name: 'In Progress', category: 'indeterminate' },
  inReview: { id: '10001', name: 'In Review', category: 'indeterminate' },
  done: { id: '10002', name: 'Done', category: 'done' },
  reopened: { id: '4', name: 'Reopened', category: 'new' },
};

export const STATUS_CATEGORIES = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;

export const ISSUE_TYPES = {
  Story: { id: '10001', subtask: false },
  Task: { id: '10002', subtask: false },
  Bug: { id: '10004', subtask: false },
  'Sub-task': { id: '10003', subtask: true },
} as const;
export type IssueTypeName = keyof typeof ISSUE_TYPES;

export const PRIORITIES = { Highest: '1', High: '2', Medium: '3', Low: '4' } as const;
export type PriorityName = keyof typeof PRIORITIES;

export const RESOLUTIONS = { Done: '10000', "Won't Do": '10001', Duplicate: '10002' } as const;
export type ResolutionName = keyof typeof RESOLUTIONS;

export interface HistoryItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId?: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface HistoryModel {
  id: string;
  author: Person;
  created: number;
  items: HistoryItem[];
}

export interface CommentModel {
  id: string;
  author: Person;
  created: number;
  body: string;
}

export interface SprintModel {
  id: number;
  name: string;
  state: 'closed' | 'active' | 'future';
  start: number;
  end: number;
  completeDate?: number;
  goal: string;
}

export interface JiraIssueModel {
  scenario: Scenario;
  index: number;
  id: string;
  key: string;
  type: IssueTypeName;
  summary: string;
  priority: PriorityName;
  reporter: Person;
  assignee?: Person;
  created: number;
  updated: number;
  resolutionDate?: number;
  resolution?: ResolutionName;
  status: JiraStatus;
  labels: string[];
  storyPoints?: number;
  sprintId?: number;
  environment?: string;
  parentKey?: string;
  histories: HistoryModel[];
  comments: CommentModel[];
  reopened: boolean;
}
