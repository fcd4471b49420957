import { describe, expect, it } from 'vitest';
import { reportSuggestions } from './UploadDialog';

describe('upload suggestions', () => {
  it('offers the reports this session exported, once each, in the order given', () => {
    const report = (relative_path: string) => ({ path: `/p/${relative_path}`, relative_path, bytes: 10 });
    expect(
      reportSuggestions([
        report('reports/flights-profile.html'),
        { urls: ['s3://b/x'], bytes: 1 },
        null,
        report('reports/penguins-profile.json'),
        report('reports/flights-profile.html'),
        'text',
      ]),
    ).toEqual(['reports/flights-profile.html', 'reports/penguins-profile.json']);
  });
});
