// The NestJS example (examples/nestjs) booted for real: MailerService sends through this transport
// into the fake SES.
import { NestFactory } from '@nestjs/core';
import { MailerService } from '@nestjs-modules/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appModule } from '../../examples/nestjs/app.module.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';

let fake: FakeSes;
beforeAll(async () => {
  fake = await startFakeSes({ region: 'eu-west-1' });
});
afterAll(() => fake.close());

describe('NestJS (@nestjs-modules/mailer)', () => {
  it('boots the example module and sends through MailerService', async () => {
    const app = await NestFactory.createApplicationContext(
      appModule({ region: 'eu-west-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS }),
      { logger: false },
    );
    try {
      const info = (await app
        .get(MailerService)
        .sendMail({ from: '"App" <no-reply@example.com>', to: 'ana@example.org', subject: 'From Nest', text: 'hello' })) as unknown as {
        action: string;
        messageId: string;
      };
      expect(info.action).toBe('SendEmail');
      const req = fake.requests.at(-1)!;
      expect(req.params).toMatchObject({
        Source: 'App <no-reply@example.com>',
        'Message.Subject.Data': 'From Nest',
        ConfigurationSetName: 'transactional',
      });
    } finally {
      await app.close();
    }
  });
});
