/** This package's name and version, as Nodemailer shows them for a transport. Kept in step with package.json (a test checks). */
export const PACKAGE_NAME = 'nodemailer-ses-query';
export const PACKAGE_VERSION = '0.1.0';
