// The Block Kit subset the digest uses, and Slack's documented limits for it
// (docs.slack.dev/reference/block-kit): a message carries at most 50 blocks; section text
// ≤ 3000 characters, section fields ≤ 10 of ≤ 2000; header text plain_text ≤ 150; context
// ≤ 10 elements; actions ≤ 25 elements; button text ≤ 75, url ≤ 3000, action_id and
// block_id ≤ 255.

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export interface ButtonElement {
  type: 'button';
  text: TextObject & { type: 'plain_text' };
  url?: string;
  action_id: string;
  style?: 'primary' | 'danger';
}

export type Block =
  | { type: 'header'; block_id?: string; text: TextObject & { type: 'plain_text' } }
  | { type: 'section'; block_id?: string; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; block_id?: string; elements: TextObject[] }
  | { type: 'divider'; block_id?: string }
  | { type: 'actions'; block_id?: string; elements: ButtonElement[] };

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
} as const;

/** Everything in `blocks` that Slack would refuse (`invalid_blocks`), as sentences; [] = valid. */
export function blockKitProblems(blocks: readonly unknown[]): string[] {
  const problems: string[] = [];
  const L = SLACK_LIMITS;
  if (blocks.length > L.blocksPerMessage)
    problems.push(`${blocks.length} blocks, more than ${L.blocksPerMessage}`);
  const text = (where: string, t: unknown, max: number, plainOnly = false): void => {
    const o = t as Partial<TextObject> | undefined;
    if (!o || (o.type !== 'plain_text' && o.type !== 'mrkdwn')) {
      problems.push(`${where}: not a text object`);
      return;
    }
    if (plainOnly && o.type !== 'plain_text') problems.push(`${where}: must be plain_text`);
    if (typeof o.text !== 'string' || o.text.length === 0) problems.push(`${where}: empty text`);
    else if (o.text.length > max) problems.push(`${where}: ${o.text.length} characters, more than ${max}`);
  };
  blocks.forEach((raw, i) => {
    const b = raw as Record<string, unknown>;
    const at = `block ${i} (${String(b['type'])})`;
    if (typeof b['block_id'] === 'string' && b['block_id'].length > L.blockId)
      problems.push(`${at}: block_id longer than ${L.blockId}`);
    switch (b['type']) {
      case 'header':
        text(at, b['text'], L.headerText, true);
        break;
      case 'section': {
        const fields = b['fields'] as unknown[] | undefined;
        if (b['text'] === undefined && !fields?.length) problems.push(`${at}: needs text or fields`);
        if (b['text'] !== undefined) text(at, b['text'], L.sectionText);
        if (fields) {
          if (fields.length > L.sectionFields) problems.push(`${at}: more than ${L.sectionFields} fields`);
          fields.forEach((f, j) => text(`${at} field ${j}`, f, L.sectionFieldText));
        }
        break;
      }
      case 'context': {
        const elements = (b['elements'] as unknown[] | undefined) ?? [];
        if (elements.length === 0 || elements.length > L.contextElements)
          problems.push(`${at}: needs 1 to ${L.contextElements} elements`);
        elements.forEach((e, j) => text(`${at} element ${j}`, e, L.sectionText));
        break;
      }
      case 'divider':
        break;
      case 'actions': {
        const elements = (b['elements'] as ButtonElement[] | undefined) ?? [];
        if (elements.length === 0 || elements.length > L.actionsElements)
          problems.push(`${at}: needs 1 to ${L.actionsElements} elements`);
        elements.forEach((e, j) => {
          const where = `${at} button ${j}`;
          if (e.type !== 'button') problems.push(`${where}: only buttons are used`);
          text(where, e.text, L.buttonText, true);
          if (typeof e.action_id !== 'string' || e.action_id.length > L.actionId)
            problems.push(`${where}: action_id missing or longer than ${L.actionId}`);
          if (e.url !== undefined && (e.url.length > L.buttonUrl || !/^https?:\/\//.test(e.url)))
            problems.push(`${where}: url must be http(s) and at most ${L.buttonUrl} characters`);
        });
        break;
      }
      default:
        problems.push(`${at}: block type not used by the digest`);
    }
  });
  return problems;
}

/** Cuts `s` to `max` characters, ending with an ellipsis when cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Slack mrkdwn needs &, < and > escaped in text that is not a link or mention. */
export const escapeMrkdwn = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
