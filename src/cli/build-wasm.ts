/** Rebuilds the embedded WebAssembly run-off loop: `npm run build:wasm`. */
import { writeFileSync } from 'node:fs';
import { compileRunoff, RUNOFF_MODULE, runoffModule } from '../build/wasm.ts';

const binary = await compileRunoff();
writeFileSync(RUNOFF_MODULE, runoffModule(binary));
console.log(`${RUNOFF_MODULE}: ${binary.length} bytes of WebAssembly`);
