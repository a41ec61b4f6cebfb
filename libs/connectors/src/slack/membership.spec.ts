import { isMembershipRecord, mapSlackMemberEvent } from './membership';

describe('Slack member events as chat records', () => {
  const base = { channel: 'C0DELIVERY', user: 'U0VENDOR1', event_ts: '1795300000.000400' };

  it('maps member_joined_channel and member_left_channel to channel_join and channel_leave at event_ts', () => {
    expect(mapSlackMemberEvent({ type: 'member_joined_channel', ...base })).toEqual({
      channel: 'C0DELIVERY',
      ts: '1795300000.000400',
      at: 1_795_300_000_000,
      threadTs: null,
      authorId: 'U0VENDOR1',
      subtype: 'channel_join',
      botId: null,
    });
    const left = mapSlackMemberEvent({ type: 'member_left_channel', ...base });
    expect(left?.subtype).toBe('channel_leave');
    expect(left && isMembershipRecord(left)).toBe(true);
  });

  it('ignores other events and events without a channel, a user or a Slack ts', () => {
    expect(mapSlackMemberEvent({ type: 'message', ...base })).toBeNull();
    expect(mapSlackMemberEvent({ type: 'member_joined_channel', ...base, event_ts: 'soon' })).toBeNull();
    expect(mapSlackMemberEvent({ type: 'member_joined_channel', ...base, user: undefined })).toBeNull();
    expect(mapSlackMemberEvent({ type: 'member_left_channel', ...base, channel: '' })).toBeNull();
    expect(isMembershipRecord({ subtype: 'channel_join', authorId: null })).toBe(false);
    expect(isMembershipRecord({ subtype: null, authorId: 'U0VENDOR1' })).toBe(false);
  });
});
