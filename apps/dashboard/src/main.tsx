// first: starts fetching the page's own code before the rest of the bundle runs
import './preload-first-page';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './app';
import { prefetchFirstPage } from './pages/first-page-data';
import './styles.css';

// Start fetching the page's data now, not after the first render asks for it.
const client = createQueryClient();
prefetchFirstPage(client, window.location);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
