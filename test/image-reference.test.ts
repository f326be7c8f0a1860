import {
  formatImageReference,
  isImageReference,
  isPinnedReference,
  isRepositoryPath,
  isTag,
} from '../lib/k8s/image-reference';

describe('image references', () => {
  test('formats host, repository, tag and digest', () => {
    // GIVEN / WHEN
    const plain = formatImageReference({
      registryHost: '10.110.240.233:5000',
      repository: 'easy-kanban',
      tag: 'latest',
    });
    const pinned = formatImageReference({
      registryHost: '[fd00::10]:5000',
      repository: 'team/app',
      tag: 'v1',
      digest: `sha256:${'a'.repeat(64)}`,
    });
    // THEN
    expect(plain).toBe('10.110.240.233:5000/easy-kanban:latest');
    expect(pinned).toBe(`[fd00::10]:5000/team/app:v1@sha256:${'a'.repeat(64)}`);
  });

  test.each(['easy-kanban', 'team/easy_kanban', 'a.b/c__d'])('accepts repository %s', (r) => {
    expect(isRepositoryPath(r)).toBe(true);
  });

  test.each(['Easy', '-x', 'x-', 'a//b', 'a:b', '', 'x'.repeat(256)])('rejects repository %j', (r) => {
    expect(isRepositoryPath(r)).toBe(false);
  });

  test.each([
    ['latest', true],
    ['v1.2.3_rc-1', true],
    ['.hidden', false],
    ['-x', false],
    ['x'.repeat(129), false],
    ['a:b', false],
  ])('tag %j valid: %s', (tag, valid) => {
    expect(isTag(tag)).toBe(valid);
  });

  test('knows a full reference and whether it is pinned', () => {
    expect(isImageReference('registry:2.8.3')).toBe(true);
    expect(isImageReference('docker.io/library/busybox:1.36.1')).toBe(true);
    expect(isImageReference('registry:2.8.3 ')).toBe(false);
    expect(isPinnedReference('registry:2.8.3')).toBe(true);
    expect(isPinnedReference('registry:latest')).toBe(false);
    expect(isPinnedReference('registry')).toBe(false);
    expect(isPinnedReference('localhost:5000/registry')).toBe(false);
    expect(isPinnedReference(`registry@sha256:${'b'.repeat(64)}`)).toBe(true);
  });
});
