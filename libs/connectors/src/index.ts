export * from './settings';
export * from './coverage';
export * from './github';
export * from './outbound';
