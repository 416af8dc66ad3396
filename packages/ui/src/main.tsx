// The UI's entry, kept small: it starts the API reads of the page being opened (prefetch.ts) and
// then loads the app, so those reads run while the app's JavaScript downloads and starts, not
// after it rendered.
import { queryClient } from './api/query-client.js';
import { prefetchPage } from './prefetch.js';

prefetchPage(window.location, queryClient);
void import('./app.js');
