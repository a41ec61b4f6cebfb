// Public API of the sandbox: start it in-process, and the values clients need.
export { startSandbox } from './sandbox.server';
export * from './credentials.constants';
export * from './sandbox.types';
