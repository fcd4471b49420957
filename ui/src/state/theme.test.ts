import { describe, expect, it } from 'vitest';
import { initialTheme, saveTheme, THEME_KEY } from './theme';

function memoryStorage(init: Record<string, string> = {}) {
  const data = new Map(Object.entries(init));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe('theme', () => {
  it('follows the system preference when nothing is saved', () => {
    expect(initialTheme(memoryStorage(), true)).toBe('dark');
    expect(initialTheme(memoryStorage(), false)).toBe('light');
    expect(initialTheme(null, true)).toBe('dark');
  });
  it('prefers the saved choice and ignores junk', () => {
    expect(initialTheme(memoryStorage({ [THEME_KEY]: 'light' }), true)).toBe('light');
    expect(initialTheme(memoryStorage({ [THEME_KEY]: 'purple' }), true)).toBe('dark');
  });
  it('round-trips through storage', () => {
    const s = memoryStorage();
    saveTheme(s, 'dark');
    expect(initialTheme(s, false)).toBe('dark');
  });
});
