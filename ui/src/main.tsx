import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AssayClient, ClientContext } from './api/client';
import { createTransport } from './api/createTransport';
import { DialogsProvider } from './components/Dialogs';
import { applyTheme, browserInitialTheme } from './state/theme';
import './styles.css';

// Before the first paint, so the page never flashes the wrong theme.
applyTheme(browserInitialTheme());

const client = new AssayClient(createTransport());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <DialogsProvider>
        <App />
      </DialogsProvider>
    </ClientContext.Provider>
  </StrictMode>,
);
