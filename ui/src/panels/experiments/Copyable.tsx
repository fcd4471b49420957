import { useState } from 'react';

/** Monospace text with a copy button (the clipboard may be unavailable over plain http). */
export function Copyable({ text, testId }: { text: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    const done = () => {
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1200);
    };
    if (navigator.clipboard?.writeText) {
      navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text) && done());
    } else if (fallbackCopy(text)) done();
  };
  return (
    <span className="copyable">
      <span className="mono ellipsis" title={text} data-testid={testId}>
        {text}
      </span>
      <button type="button" className="link-button small copy-button" onClick={copy} title="Copy">
        {copied ? 'copied' : 'copy'}
      </button>
    </span>
  );
}

function fallbackCopy(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
