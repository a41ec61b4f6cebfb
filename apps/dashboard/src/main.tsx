import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './app';
import { preloadPageFor } from './pages/lazy-pages';
import './styles.css';

// Start fetching the page's own code now, not after the first render has asked for it.
preloadPageFor(window.location.pathname);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App client={createQueryClient()} />
  </StrictMode>,
);
