import { useApp } from '../state/app';
import { MoonIcon, SunIcon } from './icons';
import { ProjectSwitcher } from './ProjectSwitcher';

export function TopBar() {
  const { theme, toggleTheme, busy } = useApp();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <header className="topbar">
      <span className="brand">Assay</span>
      <ProjectSwitcher />
      <div className="topbar-spacer" />
      {busy && <span className="busy" role="status" aria-label="Working" />}
      <button
        type="button"
        className="icon-button"
        data-testid="theme-toggle"
        aria-label={`Switch to ${next} theme`}
        title={`Switch to ${next} theme`}
        onClick={toggleTheme}
      >
        {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
      </button>
    </header>
  );
}
