import { describe, expect, it } from 'vitest';
import { archiveName, artifactUriPath, artifactUrl, baseName, folderInRun, parentFolders, runArchiveUrl, runArtifactUrl } from './artifactPaths';

describe('artifact download paths', () => {
  it('strips the mlflow-artifacts: prefix', () => {
    expect(artifactUriPath('mlflow-artifacts:/1/abc/artifacts')).toBe('1/abc/artifacts');
    expect(artifactUriPath('mlflow-artifacts:/1/abc/artifacts/model/')).toBe('1/abc/artifacts/model');
    expect(artifactUriPath('mlflow-artifacts://host:5000/2/r/artifacts')).toBe('2/r/artifacts');
    expect(artifactUriPath('models:/m-123')).toBeNull();
    expect(artifactUriPath('s3://bucket/x')).toBeNull();
  });
  it('links files under the server route, encoded', () => {
    expect(artifactUrl('mlflow-artifacts:/1/abc/artifacts', 'model/MLmodel')).toBe('/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model/MLmodel');
    expect(artifactUrl('mlflow-artifacts:/1/abc/artifacts', 'my notes#1.txt')).toBe('/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/my%20notes%231.txt');
    expect(artifactUrl('file:///tmp/x', 'a')).toBeNull();
    expect(runArtifactUrl('abc', 'notes/résumé #1.txt')).toBe('/api/runs/abc/artifacts/notes/r%C3%A9sum%C3%A9%20%231.txt');
  });
  it('finds a version folder inside its run', () => {
    expect(folderInRun('mlflow-artifacts:/1/abc/artifacts/model', 'mlflow-artifacts:/1/abc/artifacts')).toBe('model');
    expect(folderInRun('mlflow-artifacts:/1/abc/artifacts', 'mlflow-artifacts:/1/abc/artifacts')).toBe('');
    expect(folderInRun('mlflow-artifacts:/1/other/artifacts', 'mlflow-artifacts:/1/abc/artifacts')).toBeNull();
    expect(folderInRun('models:/m-1', 'mlflow-artifacts:/1/abc/artifacts')).toBeNull();
  });
  it('splits paths', () => {
    expect(parentFolders('a/b/c.txt')).toEqual(['a', 'a/b']);
    expect(parentFolders('c.txt')).toEqual([]);
    expect(baseName('a/b/c.txt')).toBe('c.txt');
  });

  it('archives a folder, or every artifact of the run', () => {
    expect(runArchiveUrl('abc', 'model')).toBe('/api/runs/abc/archive?path=model');
    expect(runArchiveUrl('abc', 'plots/é t/')).toBe('/api/runs/abc/archive?path=plots%2F%C3%A9%20t');
    expect(runArchiveUrl('abc', '')).toBe('/api/runs/abc/archive');
    expect(archiveName('abc', 'outputs/model/')).toBe('model.zip');
    expect(archiveName('abc', '')).toBe('abc-artifacts.zip');
  });
});
