export * from './settings';
export * from './coverage';
