import { useRef } from 'react';
import type { Diagnostic } from '../../api/types.gen';

/** Character offset of the start of 1-based `line` in `text`. */
export function lineOffset(text: string, line: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** The suite's YAML, edited as text; problems listed by line, a click puts the caret there. */
export function YamlView({ text, diagnostics, onChange }: { text: string; diagnostics: Diagnostic[]; onChange(text: string): void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = text.split('\n').length;
  const bad = new Set(diagnostics.map((d) => d.line));
  const goTo = (line: number) => {
    const el = area.current;
    if (!el) return;
    const at = lineOffset(text, line);
    el.focus();
    el.setSelectionRange(at, at);
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 18;
    el.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };
  return (
    <div className="yaml-view">
      {diagnostics.length > 0 && (
        <ul className="diagnostics" data-testid="suite-diagnostics" aria-label="Problems">
          {diagnostics.map((d, i) => (
            <li key={i}>
              <button type="button" className="link-button error-text" onClick={() => goTo(d.line)}>
                line {d.line}
              </button>{' '}
              <span className="mono">{d.rule}</span>: {d.message}
            </li>
          ))}
        </ul>
      )}
      <div className="yaml-editor">
        <div className="yaml-gutter mono" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={bad.has(i + 1) ? 'gutter-bad' : undefined}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          className="yaml-input mono"
          value={text}
          spellCheck={false}
          aria-label="Suite YAML"
          data-testid="suite-yaml"
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
    </div>
  );
}
