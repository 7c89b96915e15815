/**
 * Every test case AWS publishes with the SES and STS endpoint rule sets (vendored from botocore, see
 * test/fixtures/endpoint-rules/README.md), run through our rule-set code with the real partitions data.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { endpointFromRuleSet, type EndpointService } from '../../../src/endpoint/rule-sets.js';

interface Case {
  documentation: string;
  params?: { Region?: string; UseFIPS?: boolean; UseDualStack?: boolean; Endpoint?: string; UseGlobalEndpoint?: boolean };
  expect: { error?: string; endpoint?: { url: string; properties?: { authSchemes?: { signingRegion?: string }[] } } };
}

function cases(file: string): Case[] {
  const url = new URL(`../../fixtures/endpoint-rules/${file}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { testCases: Case[] }).testCases;
}

const suites: [EndpointService, Case[]][] = [
  ['email', cases('ses-endpoint-tests-1.json')],
  ['sts', cases('sts-endpoint-tests-1.json')],
];

describe.each(suites)('rule set %s: the published test cases', (service, all) => {
  // We always call STS at its regional endpoint (UseGlobalEndpoint false), so the cases that turn
  // the legacy global endpoint on do not apply; they are counted so that none is lost silently.
  const global = all.filter((c) => c.params?.UseGlobalEndpoint === true);
  const run = all.filter((c) => c.params?.UseGlobalEndpoint !== true);

  it('has the cases we expect to run', () => {
    expect(run.length).toBe(service === 'email' ? 43 : 51);
    expect(global.length).toBe(service === 'email' ? 0 : 18);
  });

  it.each(run.map((c) => [c.documentation, c] as const))('%s', (_doc, c) => {
    const p = c.params ?? {};
    const outcome = endpointFromRuleSet(service, {
      region: p.Region,
      useFips: p.UseFIPS ?? false,
      useDualStack: p.UseDualStack ?? false,
      endpoint: p.Endpoint,
    });
    if (c.expect.error !== undefined) {
      expect(outcome).toEqual({ error: c.expect.error });
      return;
    }
    const expected = c.expect.endpoint!;
    expect('url' in outcome && outcome.url).toBe(expected.url);
    // The region to sign for: the rule's authScheme names it when it is not the Region parameter.
    const signingRegion = 'url' in outcome ? (outcome.signingRegion ?? p.Region) : undefined;
    expect(signingRegion).toBe(expected.properties?.authSchemes?.[0]?.signingRegion ?? p.Region);
  });
});
