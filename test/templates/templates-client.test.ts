// SesTemplates (transport.templates) against the signature-checking fake SES.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesQueryTransport } from '../../src/index.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';

let fake: FakeSes;
let transport: SesQueryTransport;
beforeAll(async () => {
  fake = await startFakeSes({ region: 'eu-west-1' });
  transport = new SesQueryTransport({ region: 'eu-west-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  await transport.close();
  await fake.close();
});

describe('transport.templates', () => {
  it('put creates, then updates; get reads it back; testRender renders; delete removes', async () => {
    const t = { TemplateName: 'welcome', SubjectPart: 'Hi {{name}}', TextPart: 'Hello {{name}} & co', HtmlPart: '<p>Hello {{name}}</p>' };
    expect(await transport.templates.put(t)).toBe('created');
    expect(await transport.templates.put({ ...t, SubjectPart: 'Welcome {{name}}' })).toBe('updated');
    expect(fake.requests.slice(-3).map((r) => r.action)).toEqual(['UpdateTemplate', 'CreateTemplate', 'UpdateTemplate']);
    expect(fake.requests.at(-1)!.params).toMatchObject({
      'Template.TemplateName': 'welcome',
      'Template.SubjectPart': 'Welcome {{name}}',
      'Template.HtmlPart': '<p>Hello {{name}}</p>',
    });
    expect(await transport.templates.get('welcome')).toEqual({ ...t, SubjectPart: 'Welcome {{name}}' });
    const mime = await transport.templates.testRender('welcome', { name: 'Ana' });
    expect(mime).toContain('Subject: Welcome Ana');
    expect(mime).toContain('<p>Hello Ana</p>');
    await expect(transport.templates.testRender('welcome', {})).rejects.toMatchObject({ code: 'MissingRenderingAttribute' });
    await transport.templates.delete('welcome');
    await expect(transport.templates.get('welcome')).rejects.toMatchObject({ code: 'TemplateDoesNotExist', statusCode: 400 });
  });

  it('lists one template (a lone member) and many across pages', async () => {
    await transport.templates.create({ TemplateName: 'only', SubjectPart: 's' });
    const one = await transport.templates.list();
    expect(one.templates.map((m) => m.name)).toEqual(['only']);
    expect(one.templates[0]!.createdTimestamp).toBeInstanceOf(Date);
    for (let i = 0; i < 14; i++) await transport.templates.create({ TemplateName: `t${i}`, SubjectPart: 's' });
    const page = await transport.templates.list({ maxItems: 10 });
    expect(page.templates).toHaveLength(10);
    expect(page.nextToken).toBeTruthy();
    expect((await transport.templates.listAll()).map((m) => m.name)).toEqual(['only', ...Array.from({ length: 14 }, (_, i) => `t${i}`)]);
    for (const m of await transport.templates.listAll()) await transport.templates.delete(m.name);
    expect((await transport.templates.list()).templates).toEqual([]);
  });

  it('refuses a malformed template before any request', async () => {
    const before = fake.requests.length;
    await expect(transport.templates.create({ TemplateName: '' })).rejects.toMatchObject({ code: 'EMESSAGE' });
    await expect(transport.templates.put({ TemplateName: 'x', Subject: 'typo' } as never)).rejects.toMatchObject({ code: 'EMESSAGE' });
    await expect(transport.templates.testRender('x', '{bad')).rejects.toMatchObject({ code: 'EMESSAGE' });
    expect(fake.requests.length).toBe(before);
  });
});
