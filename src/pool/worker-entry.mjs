// Worker threads do not inherit the TypeScript loader of the main thread: load it here,
// then the worker itself.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
