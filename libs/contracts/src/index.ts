export * from './queues';
export * from './records';
export * from './kpi';
export * from './api';
export * from './thresholds';
export * from './calendar';
export * from './users';
export * from './privacy';
