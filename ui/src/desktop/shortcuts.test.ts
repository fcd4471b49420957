import { describe, expect, it } from 'vitest';
import { isMenuCommand, shortcutCommand } from './shortcuts';

const key = (k: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {}) => ({
  key: k,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});

describe('shortcuts', () => {
  it('maps Ctrl and Cmd combinations', () => {
    expect(shortcutCommand(key('o', { ctrl: true }))).toBe('open_project');
    expect(shortcutCommand(key('n', { meta: true }))).toBe('new_project');
    expect(shortcutCommand(key('L', { ctrl: true, shift: true }))).toBe('toggle_theme');
    expect(shortcutCommand(key('J', { meta: true, shift: true }))).toBe('toggle_jobs');
    expect(shortcutCommand(key('Y', { ctrl: true, shift: true }))).toBe('show_logs');
  });
  it('ignores plain keys and other combinations', () => {
    expect(shortcutCommand(key('o'))).toBeNull();
    expect(shortcutCommand(key('o', { ctrl: true, shift: true }))).toBeNull();
    expect(shortcutCommand(key('l', { ctrl: true }))).toBeNull();
    expect(shortcutCommand(key('o', { ctrl: true, alt: true }))).toBeNull();
  });
  it('recognises menu payloads', () => {
    expect(isMenuCommand('open_demo')).toBe(true);
    expect(isMenuCommand('toggle_jobs')).toBe(false);
    expect(isMenuCommand(42)).toBe(false);
  });
});
