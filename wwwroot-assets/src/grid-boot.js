// Loaded by App.razor before the WebAssembly app: on the overview, fetch and paint the status grid
// right away. A module file rather than inline script because the CSP allows scripts from 'self' only.
import { boot } from './grid.js';

boot();
