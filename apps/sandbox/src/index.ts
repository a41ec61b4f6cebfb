// Public API of the sandbox: start it in-process, and the values clients need.
export { startSandbox } from './sandbox.server';
export * from './credentials.constants';
export * from './sandbox.types';
export {
  sendSlashCommand,
  post as postSignedSlackRequest,
  slashCommandBody,
  type SlashCommand,
  type SentSlashCommand,
} from './slack/slack-commands.sender';
export { CHAT_FAILURES, type ChatFailure, type ChatFailureCode } from './slack/slack-chat.routes';
