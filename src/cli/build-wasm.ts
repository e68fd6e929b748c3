/** Rebuilds the embedded WebAssembly run-off loop: `npm run build:wasm`. */
import { writeFileSync } from 'node:fs';
import { compileRunoff, RUNOFF_LAYOUT_MODULE, RUNOFF_MODULE, runoffLayoutSource, runoffModule } from '../build/wasm.ts';

writeFileSync(RUNOFF_LAYOUT_MODULE, runoffLayoutSource());
const binary = await compileRunoff();
writeFileSync(RUNOFF_MODULE, runoffModule(binary));
console.log(`${RUNOFF_MODULE}: ${binary.length} bytes of WebAssembly`);
