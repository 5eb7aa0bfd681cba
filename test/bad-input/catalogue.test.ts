/**
 * The catalogue itself: large enough (at least 40 bad inputs), covering every kind of bad
 * input at every stage that can catch it, and without two cases under one title.
 */
import { CATALOGUE, Category, DEPLOY_CASES, Stage, SYNTH_CASES, TERRAFORM_CASES } from './catalogue';
import { CLOUD_NAMES } from '../../src/contract';

function count<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe('the bad-input catalogue', () => {
  test('holds at least 40 cases, each stage a share of them', () => {
    const byStage = count(CATALOGUE, (testCase) => testCase.stage) as Record<Stage, number>;
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(byStage.synth).toBe(SYNTH_CASES.length);
    expect(byStage.deploy).toBe(DEPLOY_CASES.length);
    expect(byStage.terraform).toBe(TERRAFORM_CASES.length);
    expect(Math.min(byStage.synth, byStage.deploy, byStage.terraform)).toBeGreaterThanOrEqual(5);
  });

  test('covers every kind of bad input a user meets', () => {
    const kinds: Category[] = ['name', 'tag', 'public key', 'private key file', 'credentials', 'region', 'endpoint', 'token value'];
    const covered = new Set(CATALOGUE.map((testCase) => testCase.category));
    expect(kinds.filter((kind) => !covered.has(kind))).toEqual([]);
  });

  test('names, tags and public keys are checked at synth on every cloud; credentials at deploy on every cloud', () => {
    const cloudsIn = (title: string) => CLOUD_NAMES.filter((cloud) => new RegExp(`\\b(${cloud}|${{ alicloud: 'Alibaba', tencentcloud: 'Tencent', ucloud: 'UCloud' }[cloud]})\\b`).test(title));
    for (const category of ['name', 'tag', 'public key'] as const) {
      const clouds = new Set(SYNTH_CASES.filter((testCase) => testCase.category === category).flatMap((testCase) => cloudsIn(testCase.title)));
      expect({ category, clouds: [...clouds].sort() }).toEqual({ category, clouds: [...CLOUD_NAMES].sort() });
    }
    const credentialClouds = new Set(DEPLOY_CASES.filter((testCase) => testCase.category === 'credentials').map((testCase) => testCase.cloud));
    expect([...credentialClouds].sort()).toEqual([...CLOUD_NAMES].sort());
  });

  test('no two cases of a stage share a title', () => {
    const titles = count(CATALOGUE, (testCase) => `${testCase.stage}: ${testCase.category}: ${testCase.title}`);
    expect(Object.entries(titles).filter(([, n]) => n > 1)).toEqual([]);
  });
});
