import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './app';
import { prefetchFirstPage } from './pages/first-page-data';
import { preloadPageFor } from './pages/lazy-pages';
import './styles.css';

// Start fetching the page's own code and data now, not after the first render asks for them.
const client = createQueryClient();
preloadPageFor(window.location.pathname);
prefetchFirstPage(client, window.location);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
