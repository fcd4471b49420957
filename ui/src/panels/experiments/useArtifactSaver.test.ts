import { describe, expect, it } from 'vitest';
import { savedMessage } from './useArtifactSaver';

describe('saved artifacts message', () => {
  it('names the count, the size and where they went', () => {
    expect(savedMessage({ target: '/home/me/out/model', files: 3, bytes: 2048 })).toBe('Saved 3 files (2.0 KiB) to /home/me/out/model');
    expect(savedMessage({ target: '/tmp/model.json', files: 1, bytes: 12 })).toMatch(/^Saved 1 file \(12 B\) to \/tmp\/model\.json$/);
  });
});
