// A NestJS application sending through @nestjs-modules/mailer with this transport.
// `MailerModule.forRootAsync` lets the transport read its settings from your config at start-up.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { MailerModule } from '@nestjs-modules/mailer';
import { SesQueryTransport } from 'nodemailer-ses-query';

export interface MailSettings {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function mailModule(settings: MailSettings) {
  return MailerModule.forRoot({
    transport: new SesQueryTransport({ ...settings, ses: { ConfigurationSetName: 'transactional' } }),
  });
}

/** The application module: in a real app, `settings` come from ConfigService via forRootAsync. */
export function appModule(settings: MailSettings) {
  @Module({ imports: [mailModule(settings)] })
  class AppModule {}
  return AppModule;
}
