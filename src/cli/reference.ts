/** Prints the scenario reference as a Markdown table: `npm run -s reference`. */
import { scenarioReferenceMarkdown } from '../core/reference.ts';

process.stdout.write(`${scenarioReferenceMarkdown()}\n`);
