// Tests the current-API imports against a real hostile guest: a C container calling every import with bad pointers, wrapping lengths and forged ids gets a negative errno each time, and the host never traps.
import { describe, expect, it } from 'vitest';
import { errno } from '../../src/current-api/index.ts';
import { runCurrentGuest } from './current-guest.ts';

describe('a hostile current-API guest', () => {
  it('gets -EINVAL, -ENOENT, -ENOMSG or -EBUSY from every call, and runs to its end', () => {
    const { lines } = runCurrentGuest('current-hostile-abi', {
      messaging: { publish: () => -errno.ENOENT, subscribe: () => 0 },
      onSleep: () => 'stop',
    });
    const results = Object.fromEntries(lines.map((line) => line.split('=') as [string, string]));
    const EINVAL = String(-errno.EINVAL);
    expect(results).toEqual({
      publish_null_topic: EINVAL,
      publish_topic_beyond: EINVAL,
      publish_topic_high: EINVAL,
      publish_topic_unterminated: EINVAL,
      publish_empty_topic: EINVAL,
      publish_null_type: EINVAL,
      publish_null_payload: EINVAL,
      publish_len_zero: EINVAL,
      publish_len_wrapping: EINVAL,
      publish_past_end: EINVAL,
      publish_no_match: String(-errno.ENOENT),
      subscribe_null: EINVAL,
      subscribe_high: EINVAL,
      subscribe_unterminated: EINVAL,
      get_event_null_field: EINVAL,
      get_event_field_beyond: EINVAL,
      get_event_empty: String(-errno.ENOMSG),
      free_forged: EINVAL,
      dispatcher_bad_type: EINVAL,
      dispatcher_not_exported: EINVAL,
      dispatcher_unterminated: EINVAL,
      timer_id_zero: EINVAL,
      timer_id_too_big: EINVAL,
      timer_create: '0',
      timer_create_again: String(-errno.EBUSY),
      timer_interval_zero: EINVAL,
      timer_interval_too_long: EINVAL,
      timer_not_created: EINVAL,
      uname_beyond: '-1',
      // The guest's own <errno.h> agrees with the host's numbers.
      errno_values: [errno.EINVAL, errno.ENOENT, errno.ENOMEM, errno.ENOMSG, errno.EBUSY].join(','),
    });
  });
});
