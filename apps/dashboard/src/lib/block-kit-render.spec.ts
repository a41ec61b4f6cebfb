import { parseMrkdwn, plainText } from './block-kit-render';

describe('parseMrkdwn', () => {
  it('renders bold, emoji, entities and line breaks as Slack does', () => {
    expect(parseMrkdwn(':red_circle: *Red: 1 KPI in breach*\nPR pickup &gt; 24 h')).toEqual([
      { kind: 'text', text: '🔴 ' },
      { kind: 'text', text: 'Red: 1 KPI in breach', bold: true },
      { kind: 'break' },
      { kind: 'text', text: 'PR pickup > 24 h' },
    ]);
  });

  it('keeps markers inside words and unknown shortcodes as text', () => {
    expect(parseMrkdwn('a*b*c :nope: 2*3')).toEqual([{ kind: 'text', text: 'a*b*c :nope: 2*3' }]);
  });

  it('reads links and code', () => {
    expect(parseMrkdwn('see <https://x.example/a?b=1&amp;c=2|the page> and `x < y`')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', href: 'https://x.example/a?b=1&c=2', text: 'the page' },
      { kind: 'text', text: ' and ' },
      { kind: 'text', text: 'x < y', code: true },
    ]);
    expect(plainText(':large_green_circle: ok')).toBe('🟢 ok');
  });
});
