export * from './columns';
export * from './data-source';
export * from './entities';
export * from './migrations';
export * from './secret-box';
export * from './runtime-config';
export * from './upsert';
export * from './records-loader';
