// first: starts fetching the page's code and data before the rest of the bundle runs
import { client } from './preload-first-page';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
