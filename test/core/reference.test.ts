import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioReference, scenarioReferenceMarkdown } from '../../src/core/reference.ts';

describe('scenario reference', () => {
  it('the README carries the reference generated from the schema (npm run -s reference)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('<!-- reference:start -->') + '<!-- reference:start -->'.length;
    const end = readme.indexOf('<!-- reference:end -->');
    expect(readme.slice(start, end).trim()).toBe(scenarioReferenceMarkdown());
  });

  it('every field has a meaning, and every number field its bounds', () => {
    for (const f of scenarioReference()) {
      expect(f.description, f.path).not.toBe('');
      if (!/name|description|sources|assumptions|currency|schemaVersion/.test(f.path)) expect(f.bounds, f.path).not.toBe('');
    }
  });
});
