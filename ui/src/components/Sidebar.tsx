import { panels } from '../panels/registry';

export function Sidebar({ active, onSelect }: { active: string; onSelect: (id: string) => void }) {
  return (
    <nav className="sidebar" data-testid="sidebar" aria-label="Panels">
      {panels.map(({ id, title, icon: Icon }) => (
        <button
          key={id}
          type="button"
          className={`nav-item ${id === active ? 'active' : ''}`}
          data-testid={`nav-${id}`}
          aria-current={id === active ? 'page' : undefined}
          aria-label={title}
          onClick={() => onSelect(id)}
        >
          {Icon && <Icon />}
          <span>{title}</span>
        </button>
      ))}
    </nav>
  );
}
