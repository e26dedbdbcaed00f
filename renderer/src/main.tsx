import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { chooseTransport } from './ipc/choose-transport'
import { HttpTransport } from './ipc/http-transport'
import { createExplorer } from './state/explorer'
import { ExplorerContext } from './state/hooks'
import { bindViewToUrl } from './state/url-sync'
import { App } from './ui/App'
import { ErrorBoundary } from './ui/ErrorBoundary'
import './styles.css'

const transport = chooseTransport()
const explorer = createExplorer(transport)
// Browser mode: the view lives in the address bar too (bookmarks, shared links). The Electron
// window has no address bar to keep it in.
if (transport instanceof HttpTransport) bindViewToUrl(explorer, window)

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ErrorBoundary>
      <ExplorerContext.Provider value={explorer}>
        <App />
      </ExplorerContext.Provider>
    </ErrorBoundary>
  </StrictMode>,
)

void explorer.start()
