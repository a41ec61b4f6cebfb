import { Fragment } from 'react';
import { parseMrkdwn, plainText } from '../../lib/block-kit-render';

// The digest's Block Kit drawn the way Slack draws it (header, section, context, divider,
// actions with link buttons), plus the raw JSON Slack receives.

interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}
interface PreviewBlock {
  type: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: { type: string; text: TextObject | string; url?: string }[];
}

function Text({ t }: { t: TextObject }) {
  if (t.type === 'plain_text') return <>{plainText(t.text)}</>;
  return (
    <>
      {parseMrkdwn(t.text).map((s, i) => {
        if (s.kind === 'break') return <br key={i} />;
        if (s.kind === 'link')
          return (
            <a key={i} href={s.href} target="_blank" rel="noreferrer">
              {s.text}
            </a>
          );
        let node: React.ReactNode = s.text;
        if (s.code) node = <code>{node}</code>;
        if (s.bold) node = <strong>{node}</strong>;
        if (s.italic) node = <em>{node}</em>;
        if (s.strike) node = <s>{node}</s>;
        return <Fragment key={i}>{node}</Fragment>;
      })}
    </>
  );
}

export function BlockKitPreview({ blocks }: { blocks: unknown[] }) {
  return (
    <div className="slack-preview" data-testid="digest-preview">
      {(blocks as PreviewBlock[]).map((b, i) => {
        switch (b.type) {
          case 'header':
            return (
              <div key={i} className="slack-preview__header">
                {b.text && <Text t={b.text} />}
              </div>
            );
          case 'section':
            return (
              <div key={i} className="slack-preview__section">
                {b.text && <Text t={b.text} />}
                {b.fields?.map((f, j) => (
                  <div key={j}>
                    <Text t={f} />
                  </div>
                ))}
              </div>
            );
          case 'context':
            return (
              <div key={i} className="slack-preview__context small muted">
                {b.elements?.map((e, j) => (
                  <Text key={j} t={e as TextObject} />
                ))}
              </div>
            );
          case 'divider':
            return <hr key={i} />;
          case 'actions':
            return (
              <div key={i} className="slack-preview__actions">
                {b.elements?.map((e, j) => (
                  <a key={j} className="button button--small" href={e.url} target="_blank" rel="noreferrer">
                    {typeof e.text === 'object' ? plainText(e.text.text) : plainText(e.text)}
                  </a>
                ))}
              </div>
            );
          default:
            return null;
        }
      })}
    </div>
  );
}
