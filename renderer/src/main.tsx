import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { chooseTransport } from './ipc/choose-transport'
import { createExplorer } from './state/explorer'
import { ExplorerContext } from './state/hooks'
import { App } from './ui/App'
import { ErrorBoundary } from './ui/ErrorBoundary'
import './styles.css'

const explorer = createExplorer(chooseTransport())

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
