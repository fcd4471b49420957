/** Commands the native menu sends (`assay://menu`) and browser shortcuts trigger. */
export type MenuCommand =
  | 'new_project'
  | 'open_project'
  | 'open_demo'
  | 'toggle_theme'
  | 'show_logs'
  | 'show_jobs'
  | 'about';

/** What a shortcut does (`toggle_jobs` does what the menu's `show_jobs` does). */
export type Command = MenuCommand | 'toggle_jobs';

export const MENU_COMMANDS: readonly MenuCommand[] = [
  'new_project',
  'open_project',
  'open_demo',
  'toggle_theme',
  'show_logs',
  'show_jobs',
  'about',
];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/**
 * Browser-mode shortcuts (in the desktop app the native menu's accelerators do this):
 * Mod+O open, Mod+N new, Mod+Shift+L theme, Mod+Shift+J jobs, Mod+Shift+Y logs.
 * Mod is Ctrl or Cmd.
 */
export function shortcutCommand(e: KeyLike): Command | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (e.shiftKey) {
    switch (key) {
      case 'l':
        return 'toggle_theme';
      case 'j':
        return 'toggle_jobs';
      case 'y':
        return 'show_logs';
      default:
        return null;
    }
  }
  switch (key) {
    case 'o':
      return 'open_project';
    case 'n':
      return 'new_project';
    default:
      return null;
  }
}
