/**
 * Descriptions that follow the parameters (issue 15, item 7): a preset's text kept on an edited
 * scenario is marked as the preset's, with what changed listed; runs of an edited preset are not
 * listed under the preset's bare name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioToForm } from '../../src/server/forms/form.ts';
import { descriptionView, runListName, settingChanges } from '../../src/server/scenarios/description.ts';
import { PRESET_IDS } from '../../src/presets/index.ts';
import { freshToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp({ inlinePaths: 1000 });
});
afterAll(async () => {
  await t.close();
});

const post = async (path: string, fields: Record<string, string>) => {
  const token = await freshToken(t);
  return t.agent.post(path).type('form').send({ ...fields, _csrf: token });
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim();

const draftA = () => {
  const s = preset('default');
  return { ...s, name: 'Draft A (70 % cover, 2 % fee)', guarantee: { ...s.guarantee, coverageRatio: 0.7, annualFee: [{ upTo: null, rate: 0.02 }] } };
};

describe('a preset’s description on an edited scenario', () => {
  it('lists exactly the settings that changed, in the editor’s units', () => {
    expect(settingChanges(draftA(), preset('default'))).toEqual([
      'Coverage ratio: 70 % (preset: 80 %)',
      'Annual fee brackets, row 1, rate: 2 % (preset: 1.5 %)',
    ]);
    expect(settingChanges(preset('default'), preset('default'))).toEqual([]);
  });

  it.each(PRESET_IDS)('preset %s as it is: its description is its own', (id) => {
    expect(descriptionView(preset(id)).stale).toBeNull();
  });

  it('a saved “Draft A” says its text is the preset’s and lists what changed', async () => {
    const saved = await post('/scenarios', { ...scenarioToForm(draftA()) });
    expect(saved.status).toBe(303);
    const page = await t.agent.get(saved.headers.location!.split('?')[0]!);
    expect(page.status).toBe(200);
    const block = text(/<div class="description-stale" id="description">([\s\S]*?)<\/div>/.exec(page.text)![1]!);
    expect(block).toContain('Preset’s description: A generic public credit guarantee fund covering 80 %');
    expect(block).toContain('This text describes the preset “Default: a middle-of-the-road national fund”, not this scenario, which differs from it in these settings: Coverage ratio: 70 % (preset: 80 %) Annual fee brackets, row 1, rate: 2 % (preset: 1.5 %)');
  });

  it('a scenario with a description of its own shows it plainly', async () => {
    const res = await post('/simulate', { ...scenarioToForm(draftA()), description: 'Our draft: 70 % cover, 2 % fee.' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<p class="lead" id="description">Our draft: 70 % cover, 2 % fee.</p>');
    expect(res.text).not.toContain('description-stale');
  });
});

describe('runs of an edited preset', () => {
  it('are listed as edited, while a run of the preset as it is keeps its name', async () => {
    const s = preset('default');
    const edited = { ...draftA(), name: s.name };
    expect(runListName(edited)).toBe(`${s.name} — edited (2 settings changed)`);
    expect(runListName(s)).toBe(s.name);
    for (const scenario of [edited, s]) {
      const res = await t.agent.post('/api/v1/simulate/montecarlo').send({ scenario, paths: 200, seed: 1 });
      expect([200, 201]).toContain(res.status);
    }
    const list = text((await t.agent.get('/scenarios')).text);
    expect(list).toContain(`${s.name} — edited (2 settings changed) 200 1`);
    expect(list).toMatch(new RegExp(`${s.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} 200 1`));
  });
});
