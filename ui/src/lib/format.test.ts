import { describe, expect, it } from 'vitest';
import {
  formatDays,
  formatDuration,
  formatInt,
  formatNumber,
  formatPercent,
  formatRows,
  humanAmount,
  humanBytes,
  progressFraction,
  shortHash,
} from './format';

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

describe('data formatting', () => {
  it('separates thousands in counts', () => {
    expect(formatInt(336776)).toBe('336,776');
    expect(formatInt(null)).toBe('—');
    expect(formatRows(336776)).toBe('336,776 rows');
    expect(formatRows(1)).toBe('1 row');
  });
  it('prints statistics with significant digits', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(3.14159265)).toBe('3.142');
    expect(formatNumber(0.012345)).toBe('0.01235');
    expect(formatNumber(43921.7)).toBe('43,922');
    expect(formatNumber(-2.5)).toBe('-2.5');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(0.00001234)).toBe('1.23e-5');
    expect(formatNumber(0)).toBe('0');
  });
  it('prints shares as percentages', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0.00001)).toBe('<0.1%');
    expect(formatPercent(0.99999)).toBe('>99.9%');
    expect(formatPercent(null)).toBe('—');
  });
  it('prints durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(2400)).toBe('2.4 s');
    expect(formatDuration(72_000)).toBe('1 min 12 s');
    expect(formatDuration(3_780_000)).toBe('1 h 3 min');
  });
  it('prints spans of days', () => {
    expect(formatDays(364)).toBe('364 days');
    expect(formatDays(0.5)).toBe('12 hours');
    expect(formatDays(3652.5)).toBe('10 years');
  });
});
