import { useId, useState } from 'react';
import { clearConnection, lastServer, loadConnection, saveConnection } from '../../api/session';
import { Modal } from '../../components/Dialogs';
import { checkServer, type ServerCheck } from './assayServer';

/** Reloads the app on the connection now in the session (dropping `?server=` and the fragment). */
function restart() {
  window.location.replace(window.location.pathname);
}

/** This page's own server when the UI is served over HTTP (e.g. to give it a token). */
function defaultUrl(): string {
  return window.location.protocol.startsWith('http') ? window.location.origin : '';
}

/**
 * "Connect to an Assay server": the URL and token of a remote `assay serve`, tested before the
 * app switches to it. The token stays in this session only; the URL is remembered.
 */
export function AssayServerDialog({ onClose, initialUrl }: { onClose: () => void; initialUrl?: string }) {
  const current = loadConnection(window.sessionStorage);
  const [url, setUrl] = useState(initialUrl ?? current.server ?? (lastServer(window.localStorage) || defaultUrl()));
  const [token, setToken] = useState('');
  const [check, setCheck] = useState<ServerCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const urlId = useId();
  const tokenId = useId();

  const test = async (): Promise<ServerCheck> => {
    setBusy(true);
    const result = await checkServer(url, token);
    setCheck(result);
    setBusy(false);
    return result;
  };
  const connect = async () => {
    const result = await test();
    if (!result.ok) return;
    saveConnection(window.sessionStorage, window.localStorage, { server: result.base, token: token.trim() || null });
    restart();
  };
  const disconnect = () => {
    clearConnection(window.sessionStorage);
    restart();
  };

  return (
    <Modal
      title="Connect to an Assay server"
      onClose={onClose}
      onSubmit={() => void connect()}
      footer={
        <>
          {current.server && (
            <button type="button" onClick={disconnect}>
              Disconnect
            </button>
          )}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" disabled={busy || !url.trim()} onClick={() => void test()} data-testid="assay-server-test">
            Test
          </button>
          <button type="submit" className="primary" disabled={busy || !url.trim()} data-testid="assay-server-connect">
            Connect
          </button>
        </>
      }
    >
      {current.server && <p className="field-help">Connected to {current.server}.</p>}
      <label htmlFor={urlId} className="field-label">
        Server URL
      </label>
      <input
        id={urlId}
        className="text-input mono"
        value={url}
        placeholder="http://analytics-box:7878"
        onChange={(e) => setUrl(e.target.value)}
        spellCheck={false}
        autoComplete="url"
        data-testid="assay-server-url"
      />
      <label htmlFor={tokenId} className="field-label">
        Token
      </label>
      <input
        id={tokenId}
        className="text-input mono"
        type="password"
        value={token}
        placeholder="from the server's --token-file or ASSAY_TOKEN"
        onChange={(e) => setToken(e.target.value)}
        autoComplete="off"
        data-testid="assay-server-token"
      />
      <p className="field-help">The token is kept for this session only.</p>
      {check && (
        <p className={check.ok ? 'field-help' : 'error-text'} role="status" data-testid="assay-server-check">
          {check.ok ? `Connected: Assay ${check.version} at ${check.base}.` : check.message}
        </p>
      )}
    </Modal>
  );
}
