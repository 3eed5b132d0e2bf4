import { InvalidStreamNameError } from '../errors';
import { StreamSubjects } from './stream-subjects';

describe('StreamSubjects', () => {
  const subjects = new StreamSubjects('kw.ev');

  it.each([
    ['serviceAccount-0f3a', 'kw.ev.serviceAccount.0f3a'],
    ['key-org:1-sa:2', 'kw.ev.key.org:1-sa:2'],
    ['key--x', 'kw.ev.key.-x'],
    ['settings', 'kw.ev.settings'],
    ['a_b:c', 'kw.ev.a_b:c'],
  ])('maps %s to %s and back', (streamName, subject) => {
    expect(subjects.forStream(streamName)).toBe(subject);
    expect(subjects.streamNameOf(subject)).toBe(streamName);
  });

  it.each(['', '-', 'a-', '-a', 'a.b', 'a b', 'a*', 'a>', 'é', 'x'.repeat(201)])(
    'rejects %j',
    (streamName) => {
      expect(() => subjects.forStream(streamName)).toThrow(InvalidStreamNameError);
    },
  );

  it.each([
    [undefined, 'kw.ev.>'],
    [[], 'kw.ev.>'],
    [['serviceAccount-'], 'kw.ev.serviceAccount.>'],
    [['serviceAccount-0f'], 'kw.ev.serviceAccount.>'],
    [['key-org:1-', 'key-org:2-'], 'kw.ev.key.>'],
    [['service'], 'kw.ev.>'],
    [['serviceAccount-', 'member-'], 'kw.ev.>'],
    [['serviceAccount-', 'serviceAccount'], 'kw.ev.>'],
    [['-x'], 'kw.ev.>'],
  ])('narrows the prefixes %j to the server filter %s', (prefixes, filter) => {
    expect(subjects.serverFilter({ streamNamePrefixes: prefixes })).toBe(filter);
  });

  it('rejects a subject prefix that is not dot-separated tokens', () => {
    expect(() => new StreamSubjects('kw..ev')).toThrow();
    expect(() => new StreamSubjects('kw.>')).toThrow();
  });
});
