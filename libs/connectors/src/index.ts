export * from './settings';
export * from './coverage';
export * from './framework';
export * from './github';
export * from './jira';
export * from './outbound';
export * from './slack';
