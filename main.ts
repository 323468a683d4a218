/**
 * The process entry: `npm start` runs its compiled form (`dist/main.js`, after `npm run build`), and
 * `npm run dev` runs it from source with tsx. Everything it does is in the composition root, src/main.ts.
 */
import { main } from './src/main.ts';

await main();
