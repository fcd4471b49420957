import { describe, expect, it } from 'vitest';
import { humanAmount, humanBytes, progressFraction, shortHash } from './format';

describe('humanBytes', () => {
  it('prints small sizes in bytes', () => {
    expect(humanBytes(0)).toBe('0 B');
    expect(humanBytes(1)).toBe('1 B');
    expect(humanBytes(1023)).toBe('1023 B');
  });
  it('uses binary units with one decimal below 100', () => {
    expect(humanBytes(1024)).toBe('1.0 KiB');
    expect(humanBytes(1536)).toBe('1.5 KiB');
    expect(humanBytes(10 * 1024 * 1024)).toBe('10.0 MiB');
    expect(humanBytes(3.25 * 1024 ** 3)).toBe('3.3 GiB');
  });
  it('drops decimals from 100 up', () => {
    expect(humanBytes(123456789)).toBe('118 MiB');
    expect(humanBytes(512 * 1024)).toBe('512 KiB');
  });
  it('carries into the next unit instead of printing 1024', () => {
    expect(humanBytes(1024 * 1024 - 1)).toBe('1.0 MiB');
  });
  it('handles invalid input', () => {
    expect(humanBytes(-1)).toBe('—');
    expect(humanBytes(Number.NaN)).toBe('—');
  });
});

describe('humanAmount', () => {
  it('humanises bytes and prints other units plainly', () => {
    expect(humanAmount(2048, 'bytes')).toBe('2.0 KiB');
    expect(humanAmount(12345, 'rows')).toBe('12,345 rows');
    expect(humanAmount(3, '')).toBe('3');
  });
});

describe('shortHash', () => {
  it('shortens and falls back to a dash', () => {
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab');
    expect(shortHash('blake3:abcdef0123456789')).toBe('abcdef012345');
    expect(shortHash(null)).toBe('—');
    expect(shortHash('')).toBe('—');
  });
});

describe('progressFraction', () => {
  it('is null without a total and clamps to [0, 1]', () => {
    expect(progressFraction(5, null)).toBeNull();
    expect(progressFraction(5, 0)).toBeNull();
    expect(progressFraction(5, 10)).toBe(0.5);
    expect(progressFraction(15, 10)).toBe(1);
  });
});
