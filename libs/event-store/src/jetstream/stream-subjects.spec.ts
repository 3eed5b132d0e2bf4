import { DEFAULT_NATS_STREAMS } from '@keyward/messaging';
import { InvalidStreamNameError } from '../errors';
import { StreamSubjects } from './stream-subjects';

const P = DEFAULT_NATS_STREAMS.eventSubjectPrefix;

describe('StreamSubjects', () => {
  const subjects = new StreamSubjects(P);

  it.each([
    ['serviceAccount-0f3a', `${P}.serviceAccount.0f3a`],
    ['key-org:1-sa:2', `${P}.key.org:1-sa:2`],
    ['key--x', `${P}.key.-x`],
    ['settings', `${P}.settings`],
    ['a_b:c', `${P}.a_b:c`],
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
    [undefined, `${P}.>`],
    [[], `${P}.>`],
    [['serviceAccount-'], `${P}.serviceAccount.>`],
    [['serviceAccount-0f'], `${P}.serviceAccount.>`],
    [['key-org:1-', 'key-org:2-'], `${P}.key.>`],
    [['service'], `${P}.>`],
    [['serviceAccount-', 'member-'], `${P}.>`],
    [['serviceAccount-', 'serviceAccount'], `${P}.>`],
    [['-x'], `${P}.>`],
  ])('narrows the prefixes %j to the server filter %s', (prefixes, filter) => {
    expect(subjects.serverFilter({ streamNamePrefixes: prefixes })).toBe(filter);
  });

  it('rejects a subject prefix that is not dot-separated tokens', () => {
    expect(() => new StreamSubjects(`${P}..x`)).toThrow();
    expect(() => new StreamSubjects(`${P}.>`)).toThrow();
  });
});
