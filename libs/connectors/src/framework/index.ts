export * from './connector';
export * from './connector-error';
export * from './error-policy';
export * from './registry';
export * from './descriptions';
