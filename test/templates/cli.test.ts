// `nodemailer-ses-query template …`, run as a child process from the built package (node scripts/build.mjs first) against the fake SES.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSes, type FakeSes } from '../support/fake-ses.js';
import { runCli, type CliRun } from '../support/run-cli.js';

let fake: FakeSes;
let dir: string;

function run(args: string[]): Promise<CliRun> {
  return runCli(['template', ...args, '--region', 'eu-west-1', '--endpoint', fake.url], dir);
}

beforeAll(async () => {
  fake = await startFakeSes({ region: 'eu-west-1' });
  dir = mkdtempSync(join(tmpdir(), 'ses-template-cli-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('nodemailer-ses-query template', () => {
  it('put FILE creates then updates, get NAME prints what put reads, list, render --data, delete', async () => {
    const file = join(dir, 'welcome.json');
    writeFileSync(file, JSON.stringify({ TemplateName: 'welcome', SubjectPart: 'Hi {{name}}', TextPart: 'Hello {{name}}' }));
    expect(await run(['put', file])).toMatchObject({ code: 0, stdout: 'created welcome\n' });
    // The AWS CLI's file shape ({ "Template": { … } }) works too.
    writeFileSync(
      file,
      JSON.stringify({ Template: { TemplateName: 'welcome', SubjectPart: 'Welcome {{name}}', TextPart: 'Hello {{name}}' } }),
    );
    expect(await run(['put', file])).toMatchObject({ code: 0, stdout: 'updated welcome\n' });

    const got = await run(['get', 'welcome']);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual({ TemplateName: 'welcome', SubjectPart: 'Welcome {{name}}', TextPart: 'Hello {{name}}' });

    const list = await run(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^welcome\t\d{4}-\d\d-\d\dT/);

    const data = join(dir, 'data.json');
    writeFileSync(data, '{"name":"Ana"}');
    const rendered = await run(['render', 'welcome', '--data', data]);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toContain('Subject: Welcome Ana');

    expect(await run(['delete', 'welcome'])).toMatchObject({ code: 0, stdout: 'deleted welcome\n' });
    const gone = await run(['get', 'welcome']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: TemplateDoesNotExist: Template welcome does not exist\. \(HTTP 400, request req-\d+\)/);
  });

  it('usage errors exit 2 before any request', async () => {
    const before = fake.requests.length;
    expect((await run([])).code).toBe(2);
    expect((await run(['get'])).stderr).toContain('template get needs a NAME');
    expect((await run(['render', 'welcome'])).stderr).toContain('needs --data FILE');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    const r = await run(['put', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not valid JSON');
    writeFileSync(bad, '{"TemplateName":"x","Subject":"typo"}');
    const typo = await run(['put', bad]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/^error: EMESSAGE: Unknown template field "Subject"/);
    expect(fake.requests.length).toBe(before);
  });
});
