// Slack mrkdwn as Slack renders it, for the digest preview: *bold*, _italic_, ~strike~,
// `code`, <url|label> links, :emoji: shortcodes, &amp; &lt; &gt; entities and line breaks.
// Produces plain segments (no HTML strings), so React escapes everything it shows.

export type MrkdwnSegment =
  | { kind: 'text'; text: string; bold?: boolean; italic?: boolean; strike?: boolean; code?: boolean }
  | { kind: 'link'; href: string; text: string }
  | { kind: 'break' };

/** The shortcodes the digest uses, as Slack draws them. */
export const EMOJI: Readonly<Record<string, string>> = {
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_green_circle: '🟢',
  white_circle: '⚪',
  arrow_up: '⬆️',
  warning: '⚠️',
};

const decode = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const emoji = (s: string): string => s.replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m);

// Slack's styling markers only apply at word boundaries.
const STYLE = /(^|[\s(])([*_~`])(?=\S)([^\n]*?\S)\2(?=$|[\s).,:;!?])/;

function styled(
  text: string,
  base: Omit<Extract<MrkdwnSegment, { kind: 'text' }>, 'kind' | 'text'>,
): MrkdwnSegment[] {
  const out: MrkdwnSegment[] = [];
  let rest = text;
  for (;;) {
    const m = STYLE.exec(rest);
    if (!m) break;
    const start = m.index + m[1]!.length;
    if (start > 0) out.push({ kind: 'text', text: decode(emoji(rest.slice(0, start))), ...base });
    const mark = m[2]!;
    const inner = m[3]!;
    if (mark === '`') out.push({ kind: 'text', text: decode(inner), ...base, code: true });
    else {
      const flag = mark === '*' ? { bold: true } : mark === '_' ? { italic: true } : { strike: true };
      out.push(...styled(inner, { ...base, ...flag }));
    }
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) out.push({ kind: 'text', text: decode(emoji(rest)), ...base });
  return out;
}

/** Splits Slack mrkdwn into segments to render. */
export function parseMrkdwn(source: string): MrkdwnSegment[] {
  const out: MrkdwnSegment[] = [];
  source.split('\n').forEach((line, i) => {
    if (i > 0) out.push({ kind: 'break' });
    let rest = line;
    for (;;) {
      const link = /<((?:https?:\/\/|mailto:)[^|>]+)(?:\|([^>]*))?>/.exec(rest);
      if (!link) break;
      out.push(...styled(rest.slice(0, link.index), {}));
      out.push({ kind: 'link', href: decode(link[1]!), text: decode(link[2] ?? link[1]!) });
      rest = rest.slice(link.index + link[0].length);
    }
    out.push(...styled(rest, {}));
  });
  return out.filter((s) => s.kind !== 'text' || s.text.length > 0);
}

/** Plain text objects only turn shortcodes into emoji. */
export const plainText = (s: string): string => emoji(s);
