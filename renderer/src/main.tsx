import { createRoot } from 'react-dom/client'

function App() {
  return <h1>xpersist explorer</h1>
}

createRoot(document.getElementById('root') as HTMLElement).render(<App />)
